package com.webook.platform.config;

import java.time.Duration;
import java.util.List;

/**
 * How to reach etcd.
 *
 * @param endpoints e.g. {@code http://127.0.0.1:12379}
 * @param connectTimeout per-attempt connect timeout
 * @param requestTimeout timeout of one etcd request (grant, put, get)
 * @param namespace a key prefix applied to every key this process reads or writes (empty: none);
 *     lets environments — or tests — share one etcd without seeing each other's services
 */
public record EtcdConfig(
    List<String> endpoints, Duration connectTimeout, Duration requestTimeout, String namespace) {
  public EtcdConfig {
    endpoints = List.copyOf(Check.notEmpty("endpoints", endpoints));
    for (String e : endpoints) {
      if (!e.startsWith("http://") && !e.startsWith("https://")) {
        throw new IllegalArgumentException(
            "endpoints: '" + e + "' must start with http:// or https://");
      }
    }
    Check.positive("connectTimeout", connectTimeout);
    Check.positive("requestTimeout", requestTimeout);
    namespace = namespace == null ? "" : namespace;
    if (!namespace.isEmpty() && !namespace.startsWith("/")) {
      throw new IllegalArgumentException("namespace: '" + namespace + "' must start with '/'");
    }
  }

  /** Without a namespace. */
  public EtcdConfig(List<String> endpoints, Duration connectTimeout, Duration requestTimeout) {
    this(endpoints, connectTimeout, requestTimeout, "");
  }
}
