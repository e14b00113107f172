package com.webook.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.testsupport.KafkaProcess;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * Exactness under crashes, with real processes: 100 000 skewed read events over 2 000 ids plus 100
 * poison records, consumed by two interactive-svc processes on a private Kafka broker; one process
 * is SIGKILLed five times at random moments and restarted, and the broker is stopped for 20 s once.
 * At the end every id's read_cnt equals its number of events, and the DLQ holds exactly the poison
 * records by source position.
 */
class ReadEventsCrashIT {
  private static final int EVENTS = 100_000;
  private static final int IDS = 2_000;
  private static final int POISON = 100;

  private static ServiceProcess start(String name, Map<String, String> env) {
    int admin = ServiceProcess.freePort();
    Map<String, String> e = new HashMap<>(env);
    e.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
    e.put("WEBOOK_ADMIN_PORT", String.valueOf(admin));
    return ServiceProcess.fromModuleJar(name, Path.of("."))
        .env(e)
        .start()
        .awaitReady(admin, Duration.ofSeconds(90));
  }

  @Test
  void countsStayExactThroughKillsAndABrokerOutage() throws Exception {
    Random random = new Random(42);
    try (KafkaProcess kafka = KafkaProcess.start("intr-crash");
        TestDatabase db = TestStack.newDatabase("intr_crash")) {
      kafka.createTopic("article_read", 3);
      kafka.createTopic("article_read.dlq", 1);
      Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
      env.put("WEBOOK_KAFKA_BOOTSTRAP", kafka.bootstrap());
      env.put("WEBOOK_REGISTRY_ENABLED", "false");
      env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
      env.put("WEBOOK_ETCD_NAMESPACE", "/" + TestStack.unique("intr-crash"));
      env.put("WEBOOK_CACHE_KEY_NAMESPACE", TestStack.unique("intr-crash") + ":");
      env.put("WEBOOK_EVENTS_RETRY_BACKOFF", "100ms");
      env.put("WEBOOK_EVENTS_MAX_RETRY_BACKOFF", "2s");

      Map<Long, Long> expected = new ConcurrentHashMap<>();
      Set<String> poisonPositions = ConcurrentHashMap.newKeySet();
      AtomicInteger failedSends = new AtomicInteger();
      ServiceProcess a = start("intr-a", env);
      ServiceProcess b = start("intr-b", env);
      try {
        Thread producer =
            Thread.ofPlatform()
                .name("crash-it-producer")
                .start(() -> produce(kafka.bootstrap(), expected, poisonPositions, failedSends));
        long t0 = System.nanoTime();
        for (int kill = 0; kill < 5; kill++) {
          Thread.sleep(2000 + random.nextInt(4000));
          if (kill == 3) {
            kafka.stop();
            Thread.sleep(20_000);
            kafka.restart();
          }
          a.kill();
          a.waitForExit(Duration.ofSeconds(20));
          a = start("intr-a", env);
        }
        producer.join(Duration.ofMinutes(3));
        assertThat(failedSends.get()).as("sends not acknowledged").isZero();
        assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EVENTS);

        Map<Long, Long> actual = Map.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
          actual = counts(db);
          if (actual.equals(expected)) {
            break;
          }
          Thread.sleep(500);
        }
        System.out.printf(
            "crash IT: %d events exact after %.1f s (5 kills, one 20 s broker outage)%n",
            EVENTS, (System.nanoTime() - t0) / 1e9);
        assertThat(actual).isEqualTo(expected);

        List<ConsumerRecord<byte[], byte[]>> dlq =
            ReadEventsIT.consumeAll(kafka.bootstrap(), "article_read.dlq", POISON);
        Set<String> dlqPositions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
          dlqPositions.add(
              ReadEventsIT.header(r, "source.partition")
                  + "@"
                  + ReadEventsIT.header(r, "source.offset"));
        }
        System.out.printf(
            "crash IT: DLQ %d records, %d distinct source positions%n",
            dlq.size(), dlqPositions.size());
        assertThat(dlqPositions).isEqualTo(poisonPositions);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  private static Map<Long, Long> counts(TestDatabase db) {
    Map<Long, Long> out = new HashMap<>();
    try (CloseableDSLContext sql =
        DSL.using(db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword())) {
      for (var r : sql.fetch("SELECT biz_id, read_cnt FROM interactives")) {
        out.put(r.get(0, Long.class), r.get(1, Long.class));
      }
    }
    return out;
  }

  /** ~1 500 events/s, so the kills and the outage land while the consumers are busy. */
  private static void produce(
      String bootstrap,
      Map<Long, Long> expected,
      Set<String> poisonPositions,
      AtomicInteger failed) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    Random random = new Random(7);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      int poisonEvery = EVENTS / POISON;
      for (int i = 0; i < EVENTS + POISON; i++) {
        boolean poison = i % (poisonEvery + 1) == poisonEvery;
        // Skewed: 10 hot ids get half of the events.
        long aid = random.nextBoolean() ? 1 + random.nextInt(10) : 1 + random.nextInt(IDS);
        String value =
            poison
                ? "{\"uid\":1,\"aid\":\"x" + i + "\"}"
                : "{\"uid\":" + i + ",\"aid\":" + aid + "}";
        producer.send(
            new ProducerRecord<>(
                "article_read",
                Long.toString(aid).getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)),
            (md, error) -> {
              if (error != null) {
                failed.incrementAndGet();
              } else if (poison) {
                poisonPositions.add(md.partition() + "@" + md.offset());
              } else {
                expected.merge(aid, 1L, Long::sum);
              }
            });
        if (i % 150 == 149) {
          Thread.sleep(100);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
