package com.webook.bff;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.Check;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.RedisConfig;

/** bff-gateway configuration: {@code config/<profile>.yaml} bound by the platform ConfigLoader. */
public record BffConfig(HttpConfig http, AdminConfig admin, EtcdConfig etcd, RedisConfig redis) {
  public BffConfig {
    Check.notNull("http", http);
    Check.notNull("admin", admin);
    Check.notNull("etcd", etcd);
    Check.notNull("redis", redis);
  }
}
