package com.webook.platform.config;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd.
 *
 * @param endpoints e.g. {@code http://127.0.0.1:12379}
 * @param connectTimeout per-attempt connect timeout
 * @param requestTimeout timeout of one etcd request (grant, put, get)
 */
public record EtcdConfig(List<String> endpoints, Duration connectTimeout, Duration requestTimeout) {
  public EtcdConfig {
    endpoints = List.copyOf(Check.notEmpty("endpoints", endpoints));
    for (String e : endpoints) {
      if (!e.startsWith("http://") && !e.startsWith("https://")) {
        throw new IllegalArgumentException("endpoints: '" + e + "' must start with http:// or https://");
      }
    }
    Check.positive("connectTimeout", connectTimeout);
    Check.positive("requestTimeout", requestTimeout);
  }
}
