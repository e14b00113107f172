package com.webook.platform.config;

import java.time.Duration;
import java.util.Map;

/**
 * How this instance appears in etcd (SPEC §8.1).
 *
 * @param enabled whether to register at all (off for a service run alone without etcd)
 * @param service the service name, the last path segment of {@code etcd:///<service>}
 * @param instanceId the key's last segment; empty means {@code host:port}
 * @param weight relative share of traffic (1..1000)
 * @param group routing group (e.g. {@code canary}); empty for the default group
 * @param version free-form build/version label
 * @param leaseTtl lease TTL; kept alive every TTL/3
 * @param metadata free-form labels published with the endpoint
 */
public record RegistryConfig(
    boolean enabled,
    String service,
    String instanceId,
    int weight,
    String group,
    String version,
    Duration leaseTtl,
    Map<String, String> metadata) {
  public RegistryConfig {
    Check.notBlank("service", service);
    if (!service.matches("[a-z][a-z0-9-]{0,62}")) {
      throw new IllegalArgumentException(
          "service: '" + service + "' must match [a-z][a-z0-9-]{0,62}");
    }
    instanceId = instanceId == null ? "" : instanceId;
    if (instanceId.contains("/")) {
      throw new IllegalArgumentException("instanceId: must not contain '/'");
    }
    Check.range("weight", weight, 1, 1000);
    group = group == null ? "" : group;
    version = version == null ? "" : version;
    Check.positive("leaseTtl", leaseTtl);
    if (leaseTtl.toSeconds() < 2) {
      throw new IllegalArgumentException(
          "leaseTtl: must be at least 2s (etcd leases have second granularity)");
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
