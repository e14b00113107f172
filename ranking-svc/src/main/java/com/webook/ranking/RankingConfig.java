package com.webook.ranking;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;
import com.webook.ranking.job.ScheduleConfig;
import com.webook.ranking.repository.ServingConfig;
import com.webook.ranking.service.HotListRules;
import java.util.Map;

/**
 * ranking-svc configuration: the platform defaults under {@code config/<profile>.yaml}, bound by
 * the platform ConfigLoader. The shared sections come from the platform; {@code clients.article}
 * and {@code clients.interactive} are its sources; {@code hotList}, {@code serving} and {@code
 * schedule} are its own (README "Configuration").
 */
public record RankingConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    StartupConfig startup,
    MysqlConfig mysql,
    RedisConfig redis,
    DiscoveryConfig discovery,
    Map<String, GrpcClientConfig> clients,
    HotListRules hotList,
    ServingConfig serving,
    ScheduleConfig schedule)
    implements ServiceHost.GrpcServiceConfig, ServiceHost.DownstreamConfig {}
