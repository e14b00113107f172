package com.webook.platform.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
  private final ScheduledExecutorService meterRefresh;

  MeteredConsumer(
      Consumer<K, V> consumer, KafkaClientMetrics meters, ScheduledExecutorService meterRefresh) {
    this.consumer = consumer;
    this.meters = meters;
    this.meterRefresh = meterRefresh;
  }

  public Consumer<K, V> consumer() {
    return consumer;
  }

  /** Closes the consumer (leaving its group), then removes its meters and their refresh thread. */
  @Override
  public void close() {
    try {
      consumer.close();
    } finally {
      // Refresh first: a refresh running after the meters' removal would register them again.
      meterRefresh.shutdownNow();
      try {
        meterRefresh.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      meters.close();
    }
  }
}
