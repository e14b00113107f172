package com.webook.platform.config;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A Kafka cluster and how this process's producers and consumers talk to it.
 *
 * @param bootstrap bootstrap servers, e.g. {@code 127.0.0.1:19094} (comma-separated for several)
 * @param requestTimeout how long one request (a metadata call at start, a send) may take
 * @param producer Kafka producer properties ({@code acks}, {@code linger.ms} …), applied to every
 *     producer this process creates
 * @param consumer Kafka consumer properties ({@code auto.offset.reset}, {@code max.poll.records}
 *     …), applied to every consumer this process creates
 */
public record KafkaConfig(
    String bootstrap,
    Duration requestTimeout,
    Map<String, String> producer,
    Map<String, String> consumer) {
  /** Set by the platform's Kafka helper from the other fields; a config map must not set them. */
  private static final Set<String> OWNED =
      Set.of(
          "bootstrap.servers",
          "client.id",
          "group.id",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer");

  public KafkaConfig {
    Check.notBlank("bootstrap", bootstrap);
    Check.positive("requestTimeout", requestTimeout);
    producer = producer == null ? Map.of() : Map.copyOf(producer);
    consumer = consumer == null ? Map.of() : Map.copyOf(consumer);
    rejectOwned("producer", producer);
    rejectOwned("consumer", consumer);
  }

  /** Bootstrap servers only, with the platform's defaults for the rest (for tests). */
  public KafkaConfig(String bootstrap) {
    this(bootstrap, Duration.ofSeconds(5), Map.of(), Map.of());
  }

  private static void rejectOwned(String section, Map<String, String> properties) {
    for (String key : properties.keySet()) {
      if (OWNED.contains(key)) {
        throw new IllegalArgumentException(
            section + "." + key + ": is set by the platform (use kafka.bootstrap, or the code)");
      }
    }
  }
}
