package com.webook.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.interactive.testing.ReadEventsStack;
import com.webook.testsupport.TestStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jooq.CloseableDSLContext;
import org.junit.jupiter.api.Test;

/**
 * Rebalances mid-stream (issue 9): two instances consume a steady stream over three partitions; a
 * third joins, takes partitions and counts some of the stream, then leaves (graceful stop) while
 * the stream goes on. Every read is counted exactly once — in the database and in the instances'
 * own {@code applied} counters together — and the third instance's threads and database connections
 * are gone after it left.
 */
class ReadEventsRebalanceIT {
  private static final String[] THREADS = {
    "interactive-read-consumer-",
    "kafka-coordinator-heartbeat-thread",
    "kafka-consumer-meters",
    "kafka-producer-network-thread",
  };

  @Test
  void aThirdConsumerJoiningAndLeavingMidStreamChangesNoCount() throws Exception {
    try (ReadEventsStack a = ReadEventsStack.start(Map.of());
        ReadEventsStack b = a.anotherInstance();
        KafkaProducer<byte[], byte[]> producer = producer()) {
      AtomicBoolean streaming = new AtomicBoolean(true);
      Map<Long, Long> expected = new HashMap<>();
      CompletableFuture<Long> stream =
          CompletableFuture.supplyAsync(() -> stream(producer, a.topic, streaming, expected));
      awaitApplied(a, b);
      Map<String, Long> threadsBefore = threads();

      ReadEventsStack c = a.anotherInstance();
      try {
        // It joined: the group rebalanced and it counts part of the stream.
        awaitApplied(c);
      } finally {
        c.stopService(); // leaves the group after storing its positions
      }
      double byC = c.counter("interactive.read.events.applied");
      Thread.sleep(3000); // the stream goes on over the two left
      streaming.set(false);
      long produced = stream.get(60, TimeUnit.SECONDS);

      awaitCounts(a, expected);
      Thread.sleep(2000); // anything counted twice would show now
      assertThat(a.readCounts()).isEqualTo(expected);
      double applied =
          a.counter("interactive.read.events.applied")
              + b.counter("interactive.read.events.applied")
              + byC;
      assertThat(applied).isEqualTo((double) produced);
      System.out.printf(
          "rebalance IT: %d events, third instance counted %.0f of them%n", produced, byC);

      assertThat(threads()).isEqualTo(threadsBefore);
      try (CloseableDSLContext sql = a.sql()) {
        long open =
            ((Number)
                    sql.fetchValue(
                        "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ?",
                        a.database.name()))
                .longValue();
        double pooled =
            a.metrics().get("hikaricp.connections").gauge().value()
                + b.metrics().get("hikaricp.connections").gauge().value();
        assertThat(open)
            .as("connections to the database: two pools and this query")
            .isEqualTo((long) pooled + 1);
      }
    }
  }

  /** 100 events every 50 ms over 200 skewed ids until told to stop; how many were acked. */
  private static long stream(
      KafkaProducer<byte[], byte[]> producer,
      String topic,
      AtomicBoolean streaming,
      Map<Long, Long> expected) {
    Random random = new Random(9);
    long sent = 0;
    try {
      while (streaming.get()) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(100);
        for (int i = 0; i < 100; i++) {
          long aid = random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 1 + random.nextInt(200);
          expected.merge(aid, 1L, Long::sum);
          String value = "{\"uid\":" + random.nextInt(1000) + ",\"aid\":" + aid + "}";
          acks.add(
              producer.send(
                  new ProducerRecord<>(
                      topic,
                      Long.toString(aid).getBytes(StandardCharsets.UTF_8),
                      value.getBytes(StandardCharsets.UTF_8))));
          sent++;
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
          ack.get(); // acks=all: every event up to here is in the topic, or the test fails
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a read event was not acknowledged", e.getCause());
    }
    return sent;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Until each instance has counted some of the stream (it owns a partition). */
  private static void awaitApplied(ReadEventsStack... instances) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (ReadEventsStack s : instances) {
      while (s.counter("interactive.read.events.applied") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(s.counter("interactive.read.events.applied"))
          .as("an instance in the group counts part of the stream")
          .isPositive();
    }
  }

  private static void awaitCounts(ReadEventsStack stack, Map<Long, Long> expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    Map<Long, Long> actual = stack.readCounts();
    while (!actual.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      actual = stack.readCounts();
    }
    assertThat(actual).isEqualTo(expected);
  }

  /** Live threads of the kinds one instance's read events start, by name prefix. */
  private static Map<String, Long> threads() {
    Map<String, Long> out = new TreeMap<>();
    for (String prefix : THREADS) {
      out.put(prefix, 0L);
    }
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      for (String prefix : THREADS) {
        if (t.isAlive() && t.getName().startsWith(prefix)) {
          out.merge(prefix, 1L, Long::sum);
        }
      }
    }
    return out;
  }
}
