package com.webook.platform.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import java.nio.charset.StandardCharsets;

/** The registry's key layout and value codec (SPEC §8.1), shared by registrar and resolver. */
public final class RegistryKeys {
  /** Every service lives under this prefix. */
  public static final String ROOT = "/webook/services/";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryKeys() {}

  /** {@code /webook/services/<service>/} — the prefix a resolver lists and watches. */
  public static String servicePrefix(String service) {
    return ROOT + service + "/";
  }

  public static String instanceKey(String service, String instanceId) {
    return servicePrefix(service) + instanceId;
  }

  public static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  public static ByteSequence encode(ServiceInstance instance) {
    try {
      return ByteSequence.from(JSON.writeValueAsBytes(instance));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + instance, e);
    }
  }

  /** Decodes a registry value; throws IllegalArgumentException for values that are not ours. */
  public static ServiceInstance decode(ByteSequence value) {
    try {
      return JSON.readValue(value.getBytes(), ServiceInstance.class);
    } catch (java.io.IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a service instance: " + e.getMessage(), e);
    }
  }
}
