package com.webook.platform.discovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * One registered endpoint of a service, as stored in etcd under {@code
 * /webook/services/<service>/<instanceId>} (SPEC §8.1). The JSON value carries {@code addr, weight,
 * group, version, startTs, metadata}; the service and instance id come from the key.
 *
 * @param addr {@code host:port} clients connect to
 * @param weight relative share of traffic (≥ 1)
 * @param group routing group ({@code ""} = default)
 * @param version free-form version label
 * @param startTs process start, epoch ms (drives slow start)
 * @param metadata free-form labels
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceInstance(
    String addr,
    int weight,
    String group,
    String version,
    long startTs,
    Map<String, String> metadata) {
  public ServiceInstance {
    if (addr == null || addr.isBlank() || addr.lastIndexOf(':') <= 0) {
      throw new IllegalArgumentException("addr must be host:port, was '" + addr + "'");
    }
    weight = Math.max(1, weight);
    group = group == null ? "" : group;
    version = version == null ? "" : version;
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  @JsonIgnore
  public String host() {
    return addr.substring(0, addr.lastIndexOf(':'));
  }

  @JsonIgnore
  public int port() {
    return Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
  }

  public ServiceInstance withWeight(int newWeight) {
    return new ServiceInstance(addr, newWeight, group, version, startTs, metadata);
  }

  public ServiceInstance withMetadata(Map<String, String> newMetadata) {
    return new ServiceInstance(addr, weight, group, version, startTs, newMetadata);
  }
}
