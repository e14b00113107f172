package com.webook.interactive.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The read-event consumer's own meters (README "Read events"; lag per partition comes from the
 * Kafka client's {@code kafka_consumer_fetch_manager_records_lag}). Shared by every consumer of a
 * process. Thread-safe.
 */
final class ReadEventMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Counter applied;
  private final Counter poison;
  private final Timer delay;
  final Counter restartsFailed;
  final Counter restartsRequested;

  ReadEventMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize =
        DistributionSummary.builder("interactive.read.batch.size")
            .description("records per applied read-event batch")
            .baseUnit("records")
            .register(registry);
    this.applied =
        Counter.builder("interactive.read.events.applied")
            .description("read events counted (committed to the database)")
            .register(registry);
    this.poison =
        Counter.builder("interactive.read.events.poison")
            .description(
                "unparseable read events whose position was committed after the DLQ took them")
            .register(registry);
    this.delay =
        Timer.builder("interactive.read.events.delay")
            .description("end-to-end delay: record timestamp to committed count")
            .publishPercentileHistogram()
            .register(registry);
    this.restartsFailed = restarts(registry, "failed");
    this.restartsRequested = restarts(registry, "requested");
  }

  private static Counter restarts(MeterRegistry registry, String reason) {
    return Counter.builder("interactive.read.consumer.restarts")
        .tag("reason", reason)
        .description("read-event consumers restarted by the supervisor")
        .register(registry);
  }

  void batch(Duration took, String outcome) {
    Timer.builder("interactive.read.batch.duration")
        .tag("outcome", outcome)
        .description("read-event batches: DLQ, transaction and cache, by outcome")
        .register(registry)
        .record(took);
  }

  void applied(int records, List<ConsumerRecord<byte[], byte[]>> reads, int poisonCount) {
    batchSize.record(records);
    applied.increment(reads.size());
    poison.increment(poisonCount);
    long now = System.currentTimeMillis();
    for (ConsumerRecord<byte[], byte[]> r : reads) {
      if (r.timestamp() > 0) {
        delay.record(Math.max(0, now - r.timestamp()), TimeUnit.MILLISECONDS);
      }
    }
  }
}
