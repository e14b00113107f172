package com.webook.ranking;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;

/**
 * ranking-svc configuration: the platform defaults under {@code config/<profile>.yaml}, bound by
 * the platform ConfigLoader. Each component is a section; the shared ones come from the platform.
 */
public record RankingConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    StartupConfig startup,
    MysqlConfig mysql,
    RedisConfig redis)
    implements ServiceHost.GrpcServiceConfig {}
