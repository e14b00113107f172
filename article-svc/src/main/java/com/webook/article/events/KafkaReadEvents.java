package com.webook.article.events;

import com.webook.article.domain.ReadEvent;
import com.webook.article.service.ReadEvents;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read events to Kafka (SPEC §5.3): {@code {"uid":…,"aid":…}} on {@code events.topic}, keyed by the
 * article id (one article's events stay in order on one partition), through an idempotent {@code
 * acks=all} producer.
 *
 * <p>The read path never waits: {@link #emit} only offers the event to a bounded in-memory queue
 * and returns; one sender thread hands queued events to the producer. The producer retries a broker
 * that is down for up to its {@code delivery.timeout.ms} (2 min by default) from its own buffer, so
 * a shorter outage loses nothing. In a longer one the producer's buffer fills, its {@code send}
 * blocks the sender (never a reader), the queue fills, and new events are dropped — counted, never
 * blocking or failing a read:
 *
 * <ul>
 *   <li>{@code article.read.events{result=sent}}: acknowledged by Kafka;
 *   <li>{@code …{result=failed}}: the producer gave up waiting for an acknowledgement (delivery
 *       timeout, broker error) — the event may still have been written, if the broker took it just
 *       before it went away;
 *   <li>{@code …{result=dropped}}: the queue was full, or the service was stopping;
 *   <li>{@code article.read.events.queued}: events waiting for the producer.
 * </ul>
 *
 * {@link #close} (SPEC §8.1 step 4, once the gRPC server no longer takes calls): no more events are
 * accepted, the queue is handed to the producer within {@code stopTimeout}, and the host then
 * flushes and closes the producer. Thread-safe.
 */
public final class KafkaReadEvents implements ReadEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaReadEvents.class);

  private final Producer<String, String> producer;
  private final String topic;
  private final Duration stopTimeout;
  private final BlockingQueue<ReadEvent> queue;
  private final Thread sender;
  private final Counter sent;
  private final Counter failed;
  private final Counter dropped;
  private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));
  private volatile boolean closing;

  /**
   * Starts the sender thread (made by {@code threads}).
   *
   * @param producer owned by the caller (the host flushes and closes it after this is closed)
   */
  public KafkaReadEvents(
      Producer<String, String> producer,
      ReadEventsConfig config,
      ThreadFactory threads,
      MeterRegistry metrics) {
    this.producer = producer;
    this.topic = config.topic();
    this.stopTimeout = config.stopTimeout();
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.sent = outcome(metrics, "sent");
    this.failed = outcome(metrics, "failed");
    this.dropped = outcome(metrics, "dropped");
    Gauge.builder("article.read.events.queued", queue, BlockingQueue::size)
        .description("read events waiting for the Kafka producer")
        .register(metrics);
    this.sender = threads.newThread(this::sendLoop);
    sender.start();
  }

  @Override
  public void emit(ReadEvent event) {
    if (closing || !queue.offer(event)) {
      dropped.increment();
      warnThrottled("read event dropped: the queue to Kafka is full or the service is stopping");
    }
  }

  /** The event's JSON: two numbers, no escaping needed. */
  static String json(ReadEvent e) {
    return "{\"uid\":" + e.uid() + ",\"aid\":" + e.aid() + "}";
  }

  private void sendLoop() {
    try {
      while (!closing || !queue.isEmpty()) {
        ReadEvent event = queue.poll(100, TimeUnit.MILLISECONDS);
        if (event != null) {
          send(event);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void send(ReadEvent event) {
    try {
      // The outcome arrives in the callback; the future adds nothing.
      Future<RecordMetadata> unused =
          producer.send(
              new ProducerRecord<>(topic, Long.toString(event.aid()), json(event)),
              (metadata, error) -> {
                if (error == null) {
                  sent.increment();
                } else {
                  failed.increment();
                  warnThrottled("read event not delivered to Kafka: " + error);
                }
              });
    } catch (RuntimeException e) {
      // max.block.ms spent waiting for metadata or buffer space, or the producer is closed.
      failed.increment();
      warnThrottled("read event not handed to the Kafka producer: " + e);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      sender.join(stopTimeout.toMillis());
      if (sender.isAlive()) {
        sender.interrupt();
        sender.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.interrupt();
    }
    int left = queue.size();
    if (left > 0) {
      dropped.increment(left);
      log.warn("{} read events still queued at stop were dropped", left);
      queue.clear();
    }
  }

  private void warnThrottled(String message) {
    if (warnings.allow()) {
      log.warn(
          "{} (further such warnings suppressed for 10 s; see article_read_events_total)", message);
    }
  }

  private static Counter outcome(MeterRegistry metrics, String result) {
    return Counter.builder("article.read.events")
        .tag("result", result)
        .description("read events by outcome (SPEC §5.3)")
        .register(metrics);
  }
}
