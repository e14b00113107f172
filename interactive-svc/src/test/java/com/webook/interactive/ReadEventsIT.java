package com.webook.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.interactive.domain.PartitionAdvance;
import com.webook.interactive.domain.ReadBatch;
import com.webook.interactive.repository.dao.ReadCountDao;
import com.webook.interactive.testing.ReadEventsStack;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.testsupport.ThrowawayRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.flywaydb.core.Flyway;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * SPEC §6.4 on the shared stack (each test: its own database, topics, group): exact counts,
 * duplicates summed, poison to the DLQ without blocking, restart from the database's positions
 * whatever Kafka's committed offsets say, zombie fencing, and a dead Redis that fails no batch.
 */
class ReadEventsIT {
  private static final Duration WITHIN = Duration.ofSeconds(90);
  private static final Pattern PARTITION_LAG =
      Pattern.compile("^kafka_consumer_fetch_manager_records_lag\\{[^}]*partition=\"(\\d+)\"");

  private static String read(long uid, long aid) {
    return "{\"uid\":" + uid + ",\"aid\":" + aid + "}";
  }

  /** {@code n} events over ids 1..ids, skewed: id 1 gets a third of them. */
  private static List<String[]> events(int n, int ids, Map<Long, Long> expected, long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<String[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long aid = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(ids);
      expected.merge(aid, 1L, Long::sum);
      out.add(new String[] {Long.toString(aid), read(random.nextInt(1000), aid)});
    }
    return out;
  }

  private static void awaitCounts(ReadEventsStack stack, Map<Long, Long> expected)
      throws Exception {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    Map<Long, Long> actual = stack.readCounts();
    while (!actual.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      actual = stack.readCounts();
    }
    assertThat(actual).isEqualTo(expected);
  }

  /** Everything on {@code topic} until {@code expected} arrived, then 2 s more for extras. */
  static List<ConsumerRecord<byte[], byte[]>> consumeAll(
      String bootstrap, String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-check-" + UUID.randomUUID());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
      }
      long extra = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < extra) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
      }
    }
    return out;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void countsExactlySumsDuplicatesAndSendsPoisonToTheDlqWithoutBlocking() throws Exception {
    try (ReadEventsStack stack = ReadEventsStack.start(Map.of())) {
      Map<Long, Long> expected = new HashMap<>();
      List<String[]> records = new ArrayList<>(events(2000, 50, expected, 1));
      // Poison on every partition's way (keys spread them), between good records.
      List<String[]> poison =
          List.of(
              new String[] {"1", "not json"},
              new String[] {"2", "{\"uid\":1}"},
              new String[] {"3", "{\"uid\":1,\"aid\":0}"},
              new String[] {"4", "{\"uid\":-1,\"aid\":4}"},
              new String[] {"5", "{\"uid\":1,\"aid\":\"5\"}"},
              new String[] {null, "[]"},
              new String[] {"7", "{\"uid\":1.5,\"aid\":7}"});
      for (int i = 0; i < poison.size(); i++) {
        records.add(300 * i + 7, poison.get(i));
      }
      records.addAll(events(500, 50, expected, 2)); // after the poison: must not be blocked
      ReadEventsStack.produce(TestStack.kafkaBootstrap(), stack.topic, records);

      awaitCounts(stack, expected);
      List<ConsumerRecord<byte[], byte[]>> dlq =
          consumeAll(TestStack.kafkaBootstrap(), stack.dlqTopic, poison.size());
      assertThat(dlq).hasSize(poison.size());
      Set<String> values = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> r : dlq) {
        values.add(new String(r.value(), StandardCharsets.UTF_8));
        assertThat(header(r, "source.topic")).isEqualTo(stack.topic);
        assertThat(header(r, "source.partition")).matches("[0-2]");
        assertThat(header(r, "source.offset")).matches("\\d+");
        assertThat(header(r, "reason")).isNotBlank();
      }
      assertThat(values)
          .containsExactlyInAnyOrderElementsOf(poison.stream().map(kv -> kv[1]).toList());
      assertThat(stack.counter("interactive.read.events.dlq")).isEqualTo(poison.size());
      assertThat(stack.counter("interactive.read.events.applied")).isEqualTo(2500);
      // Duplicates were summed: at most one upsert row per id per batch, so fewer batches than
      // events; id 1 got about a third of 2500 events in far fewer batches.
      assertThat(stack.metrics().get("interactive.read.batch.size").summary().count())
          .isLessThan(2500);
      // Lag comes from the Kafka client's own metrics: the per-partition records_lag exists once a
      // partition is fetched, and reaches the scrape on the binder's next refresh (10 s).
      assertThat(stack.metrics().scrape()).contains("kafka_consumer_fetch_manager_records_lag_max");
      Set<String> lagged = new HashSet<>();
      long lagDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (lagged.size() < 3 && System.nanoTime() < lagDeadline) {
        lagged.clear();
        for (String line : stack.metrics().scrape().split("\n")) {
          var m = PARTITION_LAG.matcher(line);
          if (m.find() && line.contains("topic=\"" + stack.topic + "\"")) {
            lagged.add(m.group(1));
          }
        }
        Thread.sleep(500);
      }
      assertThat(lagged).containsExactlyInAnyOrder("0", "1", "2");
    }
  }

  @Test
  void aRestartResumesFromTheDatabasePositionsEvenWhenKafkasCommittedOffsetsAreReset()
      throws Exception {
    try (ReadEventsStack stack = ReadEventsStack.start(Map.of())) {
      Map<Long, Long> expected = new HashMap<>();
      ReadEventsStack.produce(
          TestStack.kafkaBootstrap(), stack.topic, events(600, 20, expected, 3));
      awaitCounts(stack, expected);
      stack.stopService();

      // Kafka's committed offsets: back to 0 (as if lost) — counting from there would double.
      try (Admin admin = TestStack.kafkaAdmin()) {
        Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
        for (int p = 0; p < 3; p++) {
          zero.put(new TopicPartition(stack.topic, p), new OffsetAndMetadata(0));
        }
        admin.alterConsumerGroupOffsets(stack.group, zero).all().get();
      }
      ReadEventsStack.produce(
          TestStack.kafkaBootstrap(), stack.topic, events(300, 20, expected, 4));
      stack.restart();
      awaitCounts(stack, expected);
      Thread.sleep(2000); // anything read twice would show up now
      assertThat(stack.readCounts()).isEqualTo(expected);
      try (CloseableDSLContext sql = stack.sql()) {
        assertThat(
                ((Number) sql.fetchValue("SELECT SUM(next_offset) FROM consumer_offsets"))
                    .longValue())
            .isEqualTo(900);
      }
    }
  }

  @Test
  void aZombieApplierIsFencedAndChangesNothing() throws Exception {
    try (TestDatabase db = TestStack.newDatabase("intr_fence")) {
      Flyway.configure()
          .dataSource(db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword())
          .load()
          .migrate();
      // A pool: the two appliers race on two connections, as two consumers would.
      com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();
      pool.setJdbcUrl(db.jdbcUrl());
      pool.setUsername(TestStack.mysqlUser());
      pool.setPassword(TestStack.mysqlPassword());
      pool.setMaximumPoolSize(4);
      try (com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(pool)) {
        org.jooq.DSLContext dsl = DSL.using(ds, org.jooq.SQLDialect.MARIADB);
        ReadCountDao dao = new ReadCountDao(dsl);
        // Both appliers start from "no position stored": exactly one first row wins.
        Supplier<ReadBatch> first =
            () ->
                new ReadBatch(
                    "article",
                    Map.of(1L, 3L),
                    List.of(new PartitionAdvance("t", 0, PartitionAdvance.NONE, 3)));
        assertThat(race(dao, first.get(), first.get())).containsExactlyInAnyOrder(true, false);
        // Both believe the position is 3 (the new owner and a zombie): exactly one applies.
        ReadBatch owner =
            new ReadBatch(
                "article", Map.of(1L, 5L, 2L, 1L), List.of(new PartitionAdvance("t", 0, 3, 9)));
        ReadBatch zombie =
            new ReadBatch(
                "article", Map.of(1L, 4L, 2L, 2L), List.of(new PartitionAdvance("t", 0, 3, 9)));
        List<Boolean> outcomes = race(dao, owner, zombie);
        assertThat(outcomes).containsExactlyInAnyOrder(true, false);
        long one =
            ((Number) dsl.fetchValue("SELECT read_cnt FROM interactives WHERE biz_id = 1"))
                .longValue();
        assertThat(one).isEqualTo(outcomes.get(0) ? 3 + 5 : 3 + 4);
        // A zombie with an old position, one partition among several: the whole batch rolls back.
        ReadBatch stale =
            new ReadBatch(
                "article",
                Map.of(1L, 100L, 7L, 100L),
                List.of(
                    new PartitionAdvance("t", 1, PartitionAdvance.NONE, 5),
                    new PartitionAdvance("t", 0, 3, 12)));
        assertThat(dao.apply(stale, 1)).isFalse();
        assertThat(
                ((Number) dsl.fetchValue("SELECT read_cnt FROM interactives WHERE biz_id = 1"))
                    .longValue())
            .isEqualTo(one);
        assertThat(dsl.fetchCount(DSL.table("interactives"), DSL.field("biz_id").eq(7L))).isZero();
        assertThat(dao.positions("t", List.of(0, 1))).isEqualTo(Map.of(0, 9L));
      }
    }
  }

  /** Applies both at the same moment; the outcomes in argument order. */
  private static List<Boolean> race(ReadCountDao dao, ReadBatch a, ReadBatch b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<Boolean> fa =
          pool.submit(
              () -> {
                go.await();
                return dao.apply(a, 1);
              });
      Future<Boolean> fb =
          pool.submit(
              () -> {
                go.await();
                return dao.apply(b, 1);
              });
      go.countDown();
      return List.of(fa.get(), fb.get());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDeadRedisFailsNoBatchAndIsCounted() throws Exception {
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        ReadEventsStack stack = ReadEventsStack.start(Map.of("WEBOOK_REDIS_URL", redis.url()))) {
      redis.kill();
      Map<Long, Long> expected = new HashMap<>();
      ReadEventsStack.produce(
          TestStack.kafkaBootstrap(), stack.topic, events(400, 10, expected, 5));
      awaitCounts(stack, expected);
      assertThat(stack.counter("interactive.read.cache.failures")).isPositive();
      assertThat(stack.counter("interactive.read.consumer.restarts")).isZero();
    }
  }
}
