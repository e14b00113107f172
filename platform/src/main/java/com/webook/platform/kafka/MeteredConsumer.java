package com.webook.platform.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * A Kafka consumer and its meters, closed together. Like the consumer itself, used by one thread
 * only: the one that polls it also closes it (committing what it processed first).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class MeteredConsumer<K, V> implements AutoCloseable {
  private final Consumer<K, V> consumer;
  private final KafkaClientMetrics meters;

  MeteredConsumer(Consumer<K, V> consumer, KafkaClientMetrics meters) {
    this.consumer = consumer;
    this.meters = meters;
  }

  public Consumer<K, V> consumer() {
    return consumer;
  }

  /** Closes the consumer (leaving its group), then removes its meters. */
  @Override
  public void close() {
    try {
      consumer.close();
    } finally {
      meters.close();
    }
  }
}
