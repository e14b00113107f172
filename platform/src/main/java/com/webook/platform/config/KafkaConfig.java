package com.webook.platform.config;

/** Kafka bootstrap servers, e.g. {@code 127.0.0.1:19094}. */
public record KafkaConfig(String bootstrap) {
  public KafkaConfig {
    Check.notBlank("bootstrap", bootstrap);
  }
}
