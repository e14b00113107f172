package com.webook.interactive;

import com.webook.interactive.events.ReadEventsConfig;
import com.webook.interactive.repository.cache.InteractiveCacheConfig;
import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.KafkaConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;

/**
 * interactive-svc configuration: the platform defaults under {@code config/<profile>.yaml}, bound
 * by the platform ConfigLoader. Each component is a section; the shared ones come from the
 * platform.
 */
public record InteractiveConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    StartupConfig startup,
    MysqlConfig mysql,
    RedisConfig redis,
    KafkaConfig kafka,
    InteractiveCacheConfig cache,
    ReadEventsConfig events)
    implements ServiceHost.GrpcServiceConfig {}
