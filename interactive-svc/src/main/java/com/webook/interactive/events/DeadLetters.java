package com.webook.interactive.events;

import com.webook.interactive.events.BatchAssembly.PoisonRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The dead-letter topic for unparseable read events. Each DLQ record carries the original key and
 * value and the headers {@code source.topic}, {@code source.partition}, {@code source.offset} and
 * {@code reason}, so it is identified by its source position: a crash between the DLQ
 * acknowledgement and the database commit that moves the position past it sends it again on the
 * re-read, with the same source position. The DLQ is therefore exact per source position and
 * at-least-once as a stream (deduplicate by source position). {@link #send} returns only once Kafka
 * acknowledged every record, and the consumer calls it before the transaction that moves the
 * position past them, so a poison record is never lost. Thread-safe.
 */
final class DeadLetters {
  static final String SOURCE_TOPIC = "source.topic";
  static final String SOURCE_PARTITION = "source.partition";
  static final String SOURCE_OFFSET = "source.offset";
  static final String REASON = "reason";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration timeout;
  private final MeterRegistry metrics;

  /**
   * @param producer owned by the caller (the host flushes and closes it)
   * @param timeout how long to wait for the acknowledgements of one batch's records
   */
  DeadLetters(
      Producer<byte[], byte[]> producer, String topic, Duration timeout, MeterRegistry metrics) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
    this.metrics = metrics;
  }

  /**
   * Sends {@code poison} and waits for every acknowledgement; counts each acknowledged record in
   * {@code interactive.read.events.dlq{reason}}.
   *
   * @throws DeadLetterException when one was not acknowledged in time (the batch must not commit)
   */
  void send(List<PoisonRecord> poison) {
    if (poison.isEmpty()) {
      return;
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(poison.size());
    for (PoisonRecord p : poison) {
      acks.add(producer.send(record(topic, p)));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeadLetterException("interrupted while sending to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new DeadLetterException("DLQ " + topic + " did not acknowledge: " + e, e);
    }
    for (PoisonRecord p : poison) {
      Counter.builder("interactive.read.events.dlq")
          .tag("reason", p.reason())
          .description("unparseable read events sent to the DLQ, by reason")
          .register(metrics)
          .increment();
    }
  }

  static ProducerRecord<byte[], byte[]> record(String topic, PoisonRecord p) {
    ConsumerRecord<byte[], byte[]> r = p.record();
    RecordHeaders headers = new RecordHeaders();
    headers.add(SOURCE_TOPIC, utf8(r.topic()));
    headers.add(SOURCE_PARTITION, utf8(Integer.toString(r.partition())));
    headers.add(SOURCE_OFFSET, utf8(Long.toString(r.offset())));
    headers.add(REASON, utf8(p.reason()));
    return new ProducerRecord<>(topic, null, r.key(), r.value(), headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** The DLQ did not take a batch's poison records. */
  static final class DeadLetterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeadLetterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
