package com.webook.interactive.events;

import com.webook.interactive.domain.PartitionAdvance;
import com.webook.interactive.repository.ReadCountRepository;
import com.webook.interactive.repository.ReadCountRepository.Outcome;
import com.webook.platform.kafka.MeteredConsumer;
import com.webook.platform.logging.LogThrottle;
import com.webook.platform.retry.Backoff;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of group {@code events.group} on {@code events.topic}, applying read events exactly
 * once (SPEC §6.4; README "Read events" has the argument). One instance is one Kafka consumer's
 * life: {@link #run} creates it, polls and applies until stopped or until something fails, and
 * closes it (leaving the group, meters removed) on every way out; {@link ReadEventConsumers} starts
 * a new instance after a failure.
 *
 * <ul>
 *   <li><b>Positions live in the database.</b> On every assignment the new partitions are paused,
 *       their positions read from {@code consumer_offsets}, sought to (the beginning of the log
 *       when none was ever stored) and resumed; Kafka's committed offsets are never read, only
 *       written after each commit, for tools (advisory).
 *   <li><b>Batches.</b> Polled records wait in a buffer until {@code batchSize} of them are there
 *       or the oldest waited {@code batchWait}. A batch is: unparseable records to the DLQ
 *       (acknowledged), then one transaction with the summed reads and a compare-and-set of each
 *       partition's position, then the cache, then Kafka's advisory commit.
 *   <li><b>Failure</b> of the DLQ or the database: nothing moved; the same records are retried with
 *       backoff (all partitions paused while it waits, so polling keeps the membership), never
 *       skipped.
 *   <li><b>Fenced</b> (a position had moved: another member applied this partition after a
 *       rebalance this one has not seen yet): the transaction rolled back; the batch's buffered
 *       records are dropped and its partitions re-read from the stored positions.
 *   <li><b>Revoked partitions</b>: their buffered records are dropped, not applied. Their stored
 *       positions did not move, so the new owner reads them again; applying them inside the
 *       callback instead would hold the whole group's rebalance for a transaction (and its retries
 *       while the database is down).
 *   <li><b>Stop</b> ({@link #stop}): the loop applies what it buffered (within {@code
 *       stopTimeout}), commits the advisory offsets and closes the consumer, which leaves the group
 *       at once so the partitions move without waiting for a session timeout.
 * </ul>
 *
 * <p>{@link #run} runs on one thread (the consumer's owner); {@link #stop} and {@link #abort} may
 * be called from any thread.
 */
final class ReadEventBatchConsumer implements ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(ReadEventBatchConsumer.class);
  private static final LogThrottle WARNINGS = new LogThrottle(Duration.ofSeconds(10));

  private final ReadEventsConfig config;
  private final Supplier<MeteredConsumer<byte[], byte[]>> consumers;
  private final ReadCountRepository repository;
  private final DeadLetters deadLetters;
  private final ReadEventMetrics metrics;
  private final Backoff backoff;

  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> pending = new ArrayDeque<>();
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Set<TopicPartition> unpositioned = new HashSet<>();
  private long oldestPendingNanos;
  private int failures;
  private Consumer<byte[], byte[]> consumer;

  private volatile MeteredConsumer<byte[], byte[]> current;
  private volatile boolean stopping;
  private volatile boolean aborted;

  ReadEventBatchConsumer(
      ReadEventsConfig config,
      Supplier<MeteredConsumer<byte[], byte[]>> consumers,
      ReadCountRepository repository,
      DeadLetters deadLetters,
      ReadEventMetrics metrics) {
    this.config = config;
    this.consumers = consumers;
    this.repository = repository;
    this.deadLetters = deadLetters;
    this.metrics = metrics;
    this.backoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
  }

  /** Asks the loop to apply what it buffered, store its positions and leave the group. */
  void stop() {
    stopping = true;
    wakeup();
  }

  /**
   * Makes the loop give up at once, as if it had crashed: it closes its consumer without applying
   * what it buffered (nothing is lost: the stored positions did not move) and {@link #run} throws.
   */
  void abort() {
    aborted = true;
    wakeup();
  }

  private void wakeup() {
    MeteredConsumer<byte[], byte[]> c = current;
    if (c != null) {
      c.consumer().wakeup();
    }
  }

  /**
   * Consumes until {@link #stop}; throws when the consumer fails or is {@link #abort}ed. Always
   * closes its consumer.
   */
  void run() {
    try (MeteredConsumer<byte[], byte[]> owned = consumers.get()) {
      current = owned;
      consumer = owned.consumer();
      consumer.subscribe(List.of(config.topic()), this);
      while (true) {
        if (aborted) {
          throw new IllegalStateException("read-event consumer aborted");
        }
        if (stopping) {
          drain();
          return;
        }
        try {
          step();
        } catch (WakeupException e) {
          // stop() or abort(): the flags above decide.
        }
      }
    } finally {
      current = null;
      consumer = null;
    }
  }

  private void step() {
    if (!unpositioned.isEmpty() && !seekToStoredPositions()) {
      waitPolling(backoff.delay(++failures));
      return;
    }
    if (BatchAssembly.due(
        pending.size(),
        config.batchSize(),
        oldestPendingNanos,
        System.nanoTime(),
        config.batchWait().toNanos())) {
      if (!applyOne()) {
        waitPolling(backoff.delay(++failures));
      }
      return;
    }
    Duration timeout =
        pending.isEmpty()
            ? config.batchWait()
            : Duration.ofNanos(
                Math.max(
                    1_000_000,
                    config.batchWait().toNanos() - (System.nanoTime() - oldestPendingNanos)));
    buffer(consumer.poll(timeout));
  }

  private void buffer(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (pending.isEmpty()) {
        oldestPendingNanos = System.nanoTime();
      }
      pending.add(r);
    }
  }

  /**
   * Applies one batch (the first {@code batchSize} buffered records).
   *
   * @return false when it failed and should be retried after a backoff
   */
  private boolean applyOne() {
    List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>(config.batchSize());
    for (ConsumerRecord<byte[], byte[]> r : pending) {
      if (taken.size() == config.batchSize()) {
        break;
      }
      taken.add(r);
    }
    BatchAssembly assembly = BatchAssembly.of(config.biz(), taken, positions);
    long start = System.nanoTime();
    Outcome outcome;
    try {
      deadLetters.send(assembly.poison());
      outcome = repository.apply(assembly.batch());
    } catch (RuntimeException e) {
      if (e instanceof WakeupException w) {
        throw w;
      }
      metrics.batch(Duration.ofNanos(System.nanoTime() - start), "failed");
      if (WARNINGS.allow()) {
        log.warn(
            "read-event batch of {} records not applied, retrying with backoff (further such"
                + " warnings suppressed for 10 s; see interactive_read_batch_duration_seconds"
                + "{{outcome=\"failed\"}}): {}",
            taken.size(),
            e.toString());
      }
      return false;
    }
    failures = 0;
    metrics.batch(
        Duration.ofNanos(System.nanoTime() - start),
        outcome == Outcome.APPLIED ? "applied" : "fenced");
    Set<TopicPartition> batchPartitions = new HashSet<>();
    for (PartitionAdvance a : assembly.batch().advances()) {
      batchPartitions.add(new TopicPartition(a.topic(), a.partition()));
    }
    if (outcome == Outcome.FENCED) {
      log.info(
          "read-event batch fenced on {}: another consumer moved the stored position; re-reading"
              + " from the database",
          batchPartitions);
      dropPending(batchPartitions);
      Set<TopicPartition> owned = new HashSet<>(batchPartitions);
      owned.retainAll(consumer.assignment());
      consumer.pause(owned);
      unpositioned.addAll(owned);
      batchPartitions.forEach(positions::remove);
      return true;
    }
    for (int i = 0; i < taken.size(); i++) {
      pending.poll();
    }
    if (!pending.isEmpty()) {
      oldestPendingNanos = System.nanoTime();
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    for (PartitionAdvance a : assembly.batch().advances()) {
      TopicPartition tp = new TopicPartition(a.topic(), a.partition());
      positions.put(tp, a.to());
      commit.put(tp, new OffsetAndMetadata(a.to()));
    }
    metrics.applied(taken.size(), assembly.applied(), assembly.poison().size());
    // Advisory only (positions are read from the database): a lost commit costs nothing.
    consumer.commitAsync(
        commit,
        (offsets, error) -> {
          if (error != null && WARNINGS.allow()) {
            log.warn(
                "advisory offset commit failed (harmless: positions live in the database): {}",
                error.toString());
          }
        });
    return true;
  }

  /** Reads the stored positions of the paused new partitions and seeks there; false on failure. */
  private boolean seekToStoredPositions() {
    Set<TopicPartition> assigned = consumer.assignment();
    unpositioned.retainAll(assigned);
    if (unpositioned.isEmpty()) {
      return true;
    }
    List<Integer> partitions = new ArrayList<>();
    for (TopicPartition tp : unpositioned) {
      partitions.add(tp.partition());
    }
    Map<Integer, Long> stored;
    try {
      stored = repository.positions(config.topic(), partitions);
    } catch (RuntimeException e) {
      if (WARNINGS.allow()) {
        log.warn("cannot read stored read-event positions, retrying: {}", e.toString());
      }
      return false;
    }
    failures = 0;
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : unpositioned) {
      Long next = stored.get(tp.partition());
      if (next == null) {
        fromStart.add(tp);
        positions.put(tp, PartitionAdvance.NONE);
      } else {
        consumer.seek(tp, next);
        positions.put(tp, next);
      }
    }
    if (!fromStart.isEmpty()) {
      // Never stored: nothing of this partition was ever applied.
      consumer.seekToBeginning(fromStart);
    }
    log.info("read-event positions from the database: {} (absent = from the beginning)", stored);
    consumer.resume(unpositioned);
    unpositioned.clear();
    return true;
  }

  /** Waits {@code delay} while polling (all partitions paused), so the membership stays alive. */
  private void waitPolling(Duration delay) {
    Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
    paused.removeAll(consumer.paused());
    consumer.pause(paused);
    try {
      buffer(consumer.poll(delay));
    } finally {
      paused.retainAll(consumer.assignment());
      paused.removeAll(unpositioned);
      consumer.resume(paused);
    }
  }

  /** On stop: applies what is buffered (within stopTimeout), then commits the advisory offsets. */
  private void drain() {
    long deadline = System.nanoTime() + config.stopTimeout().toNanos();
    try {
      while (!pending.isEmpty() && !aborted && System.nanoTime() < deadline) {
        if (!unpositioned.isEmpty()) {
          dropPending(unpositioned);
        }
        if (!applyOne()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.sleep(Math.min(left, backoff.delay(++failures).toNanos()));
        }
      }
      if (!pending.isEmpty()) {
        log.warn(
            "stopping with {} read events not applied; their positions were not stored, the next"
                + " owner reads them again",
            pending.size());
      }
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      positions.forEach(
          (tp, next) -> {
            if (next >= 0) {
              commit.put(tp, new OffsetAndMetadata(next));
            }
          });
      try {
        consumer.commitSync(commit, Duration.ofSeconds(2));
      } catch (WakeupException e) {
        consumer.commitSync(commit, Duration.ofSeconds(2)); // the wakeup of stop() itself
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("advisory offset commit at stop failed (harmless): {}", e.toString());
    }
  }

  private void dropPending(Collection<TopicPartition> partitions) {
    pending.removeIf(r -> partitions.contains(new TopicPartition(r.topic(), r.partition())));
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    consumer.pause(partitions);
    unpositioned.addAll(partitions);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    dropPending(partitions);
    partitions.forEach(positions::remove);
    unpositioned.removeAll(partitions);
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    onPartitionsRevoked(partitions);
  }
}
