package com.webook.interactive.bench;

import com.webook.interactive.InteractiveApp;
import com.webook.interactive.InteractiveConfig;
import com.webook.interactive.events.ReadEventConsumers;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.kafka.Kafka;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.flywaydb.core.Flyway;

/**
 * Read-event ingestion throughput, end to end from Kafka (issue 9), against a raw baseline in the
 * same run, then the end-to-end delay at half of the measured maximum. Run by {@code
 * bench/ingest.sh}; needs the local stack.
 *
 * <p>One topic (3 partitions) is filled once with {@code events} read events over 2 000 article
 * ids, skewed (a third of them on 10 hot ids), key = aid, as article-svc produces them. Then, in
 * alternating rounds, each with a database and a consumer group of its own, the same records are
 * drained from the start by:
 *
 * <ul>
 *   <li><b>baseline</b>: a plain {@code KafkaConsumer} ({@code max.poll.records} = the batch size,
 *       100) that writes each poll with one batched JDBC upsert ({@code INSERT … ON DUPLICATE KEY
 *       UPDATE read_cnt = read_cnt + 1}, one row per event, aid taken from the key, nothing
 *       parsed), commits, then commits the offsets to Kafka — at-least-once, no DLQ, no cache;
 *   <li><b>interactive-svc</b>: its read-event consumer built by the composition root's {@code
 *       readEvents} on a host of its own (Hikari, Redis cache, DLQ producer, meters): values parsed
 *       and validated, duplicates summed, positions compare-and-set in the same transaction, cache
 *       increments after the commit.
 * </ul>
 *
 * Throughput is measured from the first committed batch to the last event counted (so the group
 * join, identical for both, is left out), and the ratio of the medians is reported. The delay phase
 * runs interactive-svc caught up on a fresh topic while a paced producer sends at 50 % of its
 * median throughput for 20 s; p50/p99 of record timestamp → committed come from the consumer's own
 * {@code interactive.read.events.delay} histogram (1 ms buckets to 100 ms), counting only the paced
 * events.
 */
public final class IngestBench {
  private static final int IDS = 2_000;
  private static final int BATCH = 100;
  private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String topic = TestStack.newTopic("bench_read", 3);
    fill(topic, events);
    System.out.printf(Locale.ROOT, "topic %s: %,d events over %,d ids%n", topic, events, IDS);

    double[] baseline = new double[rounds];
    double[] ours = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      baseline[r] = baseline(topic, events);
      ours[r] = ours(topic, events);
      System.out.printf(
          Locale.ROOT,
          "round %d: baseline %,.0f events/s, interactive-svc %,.0f events/s (%.2fx)%n",
          r + 1,
          baseline[r],
          ours[r],
          ours[r] / baseline[r]);
    }
    double b = median(baseline);
    double o = median(ours);
    System.out.printf(
        Locale.ROOT,
        "%nmedian of %d rounds: baseline %,.0f events/s, interactive-svc %,.0f events/s,"
            + " ratio %.2fx (goal >= 0.80x)%n",
        rounds,
        b,
        o,
        o / b);
    delayAt((int) (o / 2));
  }

  /** Produces the benchmark's events (acks=all) and waits for every ack. */
  private static void fill(String topic, int events) {
    Random random = new Random(7);
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < events; i++) {
        send(producer, topic, random);
      }
      producer.flush();
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, Random random) {
    long aid = random.nextInt(3) == 0 ? 1 + random.nextInt(10) : 1 + random.nextInt(IDS);
    String value = "{\"uid\":" + (1 + random.nextInt(100_000)) + ",\"aid\":" + aid + "}";
    producer.send(
        new ProducerRecord<>(
            topic,
            Long.toString(aid).getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8)));
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The raw baseline's throughput in events/s. */
  private static double baseline(String topic, int events) throws Exception {
    try (TestDatabase db = TestStack.newDatabase("bench_base")) {
      Flyway.configure()
          .dataSource(db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword())
          .load()
          .migrate();
      Properties p = new Properties();
      p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.kafkaBootstrap());
      p.put(ConsumerConfig.GROUP_ID_CONFIG, TestStack.unique("bench-base"));
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
      p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(BATCH));
      try (Connection jdbc =
              DriverManager.getConnection(
                  db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
          KafkaConsumer<byte[], byte[]> consumer =
              new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        jdbc.setAutoCommit(false);
        consumer.subscribe(List.of(topic));
        PreparedStatement upsert =
            jdbc.prepareStatement(
                "INSERT INTO interactives (biz, biz_id, read_cnt, ctime, utime)"
                    + " VALUES ('article', ?, 1, ?, ?)"
                    + " ON DUPLICATE KEY UPDATE read_cnt = read_cnt + 1, utime = VALUES(utime)");
        long applied = 0;
        long first = 0;
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (applied < events) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("baseline: only " + applied + " events in time");
          }
          ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
          if (records.isEmpty()) {
            continue;
          }
          long now = System.currentTimeMillis();
          for (ConsumerRecord<byte[], byte[]> r : records) {
            upsert.setLong(1, Long.parseLong(new String(r.key(), StandardCharsets.US_ASCII)));
            upsert.setLong(2, now);
            upsert.setLong(3, now);
            upsert.addBatch();
          }
          upsert.executeBatch();
          jdbc.commit();
          consumer.commitAsync();
          applied += records.count();
          if (first == 0) {
            first = System.nanoTime();
          }
        }
        return events / seconds(first);
      }
    }
  }

  /** interactive-svc's consumer: its throughput in events/s. */
  private static double ours(String topic, int events) throws Exception {
    try (TestDatabase db = TestStack.newDatabase("bench_intr");
        Service service = Service.start(db, topic, null)) {
      long first = 0;
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      while (service.applied() < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "interactive-svc: only " + service.applied() + " events in time");
        }
        if (first == 0 && service.applied() > 0) {
          first = System.nanoTime();
        }
        Thread.sleep(1);
      }
      return events / seconds(first);
    }
  }

  /** interactive-svc caught up, then a paced stream at {@code rate} events/s for 20 s. */
  private static void delayAt(int rate) throws Exception {
    String topic = TestStack.newTopic("bench_delay", 3);
    try (TestDatabase db = TestStack.newDatabase("bench_delay");
        Service service = Service.start(db, topic, sloBuckets());
        KafkaProducer<byte[], byte[]> producer = producer()) {
      Random random = new Random(11);
      int warm = 2_000; // the group join and first fetches: excluded from the figures
      for (int i = 0; i < warm; i++) {
        send(producer, topic, random);
      }
      producer.flush();
      awaitApplied(service, warm);
      Timer delay = service.host.metrics().get("interactive.read.events.delay").timer();
      CountAtBucket[] before = delay.takeSnapshot().histogramCounts();
      long countBefore = delay.count();

      int perTick = Math.max(1, rate / 100); // a tick every 10 ms
      long sent = 0;
      long start = System.nanoTime();
      for (int tick = 0; tick < 2_000; tick++) {
        long due = start + TimeUnit.MILLISECONDS.toNanos(10L * tick);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        for (int i = 0; i < perTick; i++) {
          send(producer, topic, random);
        }
        sent += perTick;
      }
      producer.flush();
      double achieved = sent / seconds(start);
      awaitApplied(service, warm + sent);
      CountAtBucket[] after = delay.takeSnapshot().histogramCounts();
      long measured = delay.count() - countBefore;
      System.out.printf(
          Locale.ROOT,
          "end-to-end delay at %,.0f events/s (50%% of interactive-svc's median): p50 <= %s ms,"
              + " p99 <= %s ms (%,d events)%n",
          achieved,
          quantile(before, after, measured, 0.50),
          quantile(before, after, measured, 0.99),
          measured);
    }
  }

  private static void awaitApplied(Service service, long n) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (service.applied() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + service.applied() + " of " + n + " in time");
      }
      Thread.sleep(5);
    }
  }

  /** The upper bound (ms) of the first bucket holding quantile {@code q} of the new values. */
  private static String quantile(CountAtBucket[] before, CountAtBucket[] after, long n, double q) {
    Map<Double, Double> base = new HashMap<>();
    for (CountAtBucket c : before) {
      base.put(c.bucket(), c.count());
    }
    for (CountAtBucket c : after) { // cumulative counts, ascending bounds
      double added = c.count() - base.getOrDefault(c.bucket(), 0.0);
      if (added >= q * n) {
        return String.format(Locale.ROOT, "%.0f", c.bucket(TimeUnit.MILLISECONDS));
      }
    }
    return "> " + after[after.length - 1].bucket(TimeUnit.MILLISECONDS);
  }

  /** Delay buckets fine enough to read a percentile from: 1 ms to 100 ms, then coarser. */
  private static double[] sloBuckets() {
    List<Double> ms = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      ms.add((double) i);
    }
    for (int i = 110; i <= 1000; i += 10) {
      ms.add((double) i);
    }
    for (int i = 1100; i <= 10_000; i += 100) {
      ms.add((double) i);
    }
    return ms.stream().mapToDouble(v -> TimeUnit.MILLISECONDS.toNanos(v.longValue())).toArray();
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** interactive-svc's read-event half on a host of its own (its dev profile on the stack). */
  private static final class Service implements AutoCloseable {
    final ServiceHost host;
    private final Counter applied;

    private Service(ServiceHost host) {
      this.host = host;
      this.applied = host.metrics().get("interactive.read.events.applied").counter();
    }

    static Service start(TestDatabase db, String topic, double[] delayBuckets) {
      Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
      env.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
      env.put("WEBOOK_ADMIN_PORT", "0");
      env.put("WEBOOK_REGISTRY_ENABLED", "false");
      env.put("WEBOOK_CACHE_KEY_NAMESPACE", TestStack.unique("bench") + ":");
      env.put("WEBOOK_EVENTS_TOPIC", topic);
      env.put("WEBOOK_EVENTS_DLQ_TOPIC", TestStack.newTopic("bench_read.dlq", 1));
      env.put("WEBOOK_EVENTS_GROUP", TestStack.unique("bench-intr"));
      InteractiveConfig config = new ConfigLoader(env).load(InteractiveConfig.class, new String[0]);
      ServiceHost host = new ServiceHost("ingest-bench", config);
      try {
        if (delayBuckets != null) {
          host.metrics().config().meterFilter(delayBuckets(delayBuckets));
        }
        Database database = host.database(config.mysql());
        Redis redis = host.redis(config.redis());
        Kafka kafka = host.kafka(config.kafka());
        ReadEventConsumers consumers =
            InteractiveApp.readEvents(
                config.events(),
                host,
                database,
                kafka,
                new InteractiveCache(redis.connection(), config.cache()));
        consumers.start();
        return new Service(host);
      } catch (RuntimeException e) {
        host.stop();
        throw e;
      }
    }

    private static MeterFilter delayBuckets(double[] nanos) {
      return new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (!id.getName().equals("interactive.read.events.delay")) {
            return config;
          }
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(nanos)
              .build()
              .merge(config);
        }
      };
    }

    long applied() {
      return (long) applied.count();
    }

    @Override
    public void close() {
      host.stop();
    }
  }
}
