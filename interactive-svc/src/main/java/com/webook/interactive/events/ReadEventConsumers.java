package com.webook.interactive.events;

import com.webook.interactive.repository.ReadCountRepository;
import com.webook.platform.kafka.MeteredConsumer;
import com.webook.platform.retry.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor of the process's read-event consumers (SPEC §6.4): {@code events.consumers}
 * platform threads (named by the composition root's factory), each running one {@link
 * ReadEventBatchConsumer} after another. A consumer that dies (any exception out of its loop) has
 * already closed its Kafka consumer; the supervisor counts the restart ({@code
 * interactive.read.consumer.restarts{reason="failed"}}), waits a backoff (doubling to {@code
 * maxRetryBackoff}; reset after a minute of healthy running) and starts a fresh one on the same
 * thread, so neither threads, clients nor meters accumulate across restarts. {@link #restart}
 * aborts the running consumers on purpose (operations, tests) and restarts them at once.
 *
 * <p>{@link #close} (host stop, before Kafka, Redis and the database close): each consumer applies
 * what it buffered, stores its positions and leaves the group; then the threads end. Thread-safe.
 */
public final class ReadEventConsumers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReadEventConsumers.class);
  private static final long HEALTHY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final ReadEventsConfig config;
  private final Supplier<MeteredConsumer<byte[], byte[]>> kafkaConsumers;
  private final ReadCountRepository repository;
  private final DeadLetters deadLetters;
  private final ReadEventMetrics metrics;
  private final ThreadFactory threads;
  private final Backoff backoff;
  private final AtomicReferenceArray<ReadEventBatchConsumer> running;
  private final List<Thread> started = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  /**
   * @param kafkaConsumers a new Kafka consumer in the group per call ({@code kafka.consumer(…)})
   * @param dlqProducer for the DLQ; owned by the caller (the host flushes and closes it)
   * @param threads makes the consumer threads (platform threads with a name)
   */
  public ReadEventConsumers(
      ReadEventsConfig config,
      Supplier<MeteredConsumer<byte[], byte[]>> kafkaConsumers,
      ReadCountRepository repository,
      Producer<byte[], byte[]> dlqProducer,
      ThreadFactory threads,
      MeterRegistry metrics) {
    this.config = config;
    this.kafkaConsumers = kafkaConsumers;
    this.repository = repository;
    this.metrics = new ReadEventMetrics(metrics);
    this.deadLetters =
        new DeadLetters(dlqProducer, config.dlqTopic(), Duration.ofSeconds(30), metrics);
    this.threads = threads;
    this.backoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
    this.running = new AtomicReferenceArray<>(config.consumers());
  }

  /** Starts the consumer threads. */
  public synchronized void start() {
    if (!started.isEmpty() || stopping) {
      return;
    }
    for (int i = 0; i < config.consumers(); i++) {
      int slot = i;
      Thread t = threads.newThread(() -> supervise(slot));
      started.add(t);
      t.start();
    }
  }

  /** Aborts every running consumer as if it had crashed; each is replaced at once. */
  public void restart() {
    for (int i = 0; i < running.length(); i++) {
      ReadEventBatchConsumer c = running.get(i);
      if (c != null) {
        c.abort();
      }
    }
  }

  /** How many consumers have been started in total (first starts and restarts), for tests. */
  public int consumersStarted() {
    return generations;
  }

  private volatile int generations;

  private void supervise(int slot) {
    int failures = 0;
    while (!stopping) {
      ReadEventBatchConsumer consumer =
          new ReadEventBatchConsumer(config, kafkaConsumers, repository, deadLetters, metrics);
      running.set(slot, consumer);
      synchronized (this) {
        generations++;
      }
      if (stopping) {
        break;
      }
      long since = System.nanoTime();
      boolean requested = false;
      try {
        consumer.run();
        break; // stopped
      } catch (RuntimeException | LinkageError e) {
        if (stopping) {
          break;
        }
        requested =
            e instanceof IllegalStateException
                && "read-event consumer aborted".equals(e.getMessage());
        if (!requested) {
          log.warn("read-event consumer {} died, restarting it with backoff", slot, e);
        }
      } finally {
        running.compareAndSet(slot, consumer, null);
      }
      if (requested) {
        metrics.restartsRequested.increment();
        continue;
      }
      metrics.restartsFailed.increment();
      failures = System.nanoTime() - since > HEALTHY_NANOS ? 1 : failures + 1;
      try {
        if (stopped.await(backoff.delay(failures).toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  @Override
  public void close() {
    stopping = true;
    stopped.countDown();
    for (int i = 0; i < running.length(); i++) {
      ReadEventBatchConsumer c = running.get(i);
      if (c != null) {
        c.stop();
      }
    }
    List<Thread> threadsToJoin;
    synchronized (this) {
      threadsToJoin = List.copyOf(started);
    }
    long deadline =
        System.nanoTime() + config.stopTimeout().toNanos() + TimeUnit.SECONDS.toNanos(35);
    for (Thread t : threadsToJoin) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        if (t.isAlive()) {
          log.warn(
              "read-event consumer thread {} did not stop in time; interrupting it", t.getName());
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
