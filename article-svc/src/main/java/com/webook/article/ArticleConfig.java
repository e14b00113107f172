package com.webook.article;

import com.webook.article.events.ReadEventsConfig;
import com.webook.article.repository.cache.ArticleCacheConfig;
import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.KafkaConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;
import java.util.Map;

/**
 * article-svc configuration: the platform defaults under {@code config/<profile>.yaml}, bound by
 * the platform ConfigLoader. The shared sections come from the platform; {@code clients.user} is
 * how it asks user-svc for author names; {@code cache} and {@code events} are its own.
 */
public record ArticleConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    StartupConfig startup,
    MysqlConfig mysql,
    RedisConfig redis,
    KafkaConfig kafka,
    DiscoveryConfig discovery,
    Map<String, GrpcClientConfig> clients,
    ArticleCacheConfig cache,
    ReadEventsConfig events)
    implements ServiceHost.GrpcServiceConfig, ServiceHost.DownstreamConfig {}
