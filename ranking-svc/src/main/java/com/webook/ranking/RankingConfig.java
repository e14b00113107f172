package com.webook.ranking;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.host.ServiceHost;

/** ranking-svc configuration: {@code config/<profile>.yaml} bound by the platform ConfigLoader. */
public record RankingConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    MysqlConfig mysql,
    RedisConfig redis)
    implements ServiceHost.Config {
  public RankingConfig {}
}
