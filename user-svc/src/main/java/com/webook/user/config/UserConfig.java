package com.webook.user.config;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;

/**
 * user-svc configuration: the platform defaults under {@code config/<profile>.yaml}, bound by the
 * platform ConfigLoader. The shared sections come from the platform; the rest are this service's.
 */
public record UserConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    StartupConfig startup,
    MysqlConfig mysql,
    RedisConfig redis,
    AccountConfig user,
    ProfileCacheConfig cache,
    WechatConfig wechat,
    CodeConfig code,
    SmsConfig sms)
    implements ServiceHost.GrpcServiceConfig {}
