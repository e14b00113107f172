package com.webook.user;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.host.ServiceHost;
import com.webook.user.config.CodeConfig;
import com.webook.user.config.SmsConfig;

/** user-svc configuration: {@code config/<profile>.yaml} bound by the platform ConfigLoader. */
public record UserConfig(
    GrpcServerConfig grpc,
    AdminConfig admin,
    EtcdConfig etcd,
    RegistryConfig registry,
    MysqlConfig mysql,
    RedisConfig redis,
    AccountConfig user,
    ProfileCacheConfig cache,
    WechatConfig wechat,
    CodeConfig code,
    SmsConfig sms)
    implements ServiceHost.Config {}
