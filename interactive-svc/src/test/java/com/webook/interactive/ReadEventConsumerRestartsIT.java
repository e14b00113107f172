package com.webook.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.interactive.events.ReadEventConsumers;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.interactive.testing.ReadEventsStack;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.kafka.Kafka;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.micrometer.core.instrument.Meter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's restart path, driven directly in-process 50 times: counts stay exact, and the
 * consumer threads, Kafka heartbeat and meter-refresh threads, Kafka client meters (one client id)
 * and the JDBC pool are back to their start values.
 */
class ReadEventConsumerRestartsIT {
  @Test
  void fiftyRestartsLoseNothingAndLeakNothing() throws Exception {
    try (TestDatabase db = TestStack.newDatabase("intr_restarts")) {
      Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
      env.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
      env.put("WEBOOK_ADMIN_PORT", "0");
      env.put("WEBOOK_REGISTRY_ENABLED", "false");
      env.put("WEBOOK_CACHE_KEY_NAMESPACE", TestStack.unique("intr-restarts") + ":");
      env.put("WEBOOK_EVENTS_TOPIC", TestStack.newTopic("article_read", 3));
      env.put("WEBOOK_EVENTS_DLQ_TOPIC", TestStack.newTopic("article_read.dlq", 1));
      env.put("WEBOOK_EVENTS_GROUP", TestStack.unique("interactive"));
      env.put("WEBOOK_EVENTS_BATCH_WAIT", "200ms");
      InteractiveConfig config = new ConfigLoader(env).load(InteractiveConfig.class, new String[0]);
      ServiceHost host = new ServiceHost("restarts-it", config);
      try {
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
        Map<Long, Long> expected = new HashMap<>();
        produce(config.events().topic(), 300, expected, 1);
        await(db, expected);
        Snapshot start = Snapshot.of(host);

        for (int i = 0; i < 50; i++) {
          int before = consumers.consumersStarted();
          consumers.restart();
          while (consumers.consumersStarted() == before) {
            Thread.sleep(5);
          }
          if (i % 10 == 0) {
            produce(config.events().topic(), 50, expected, 100 + i);
          }
        }
        produce(config.events().topic(), 300, expected, 2);
        await(db, expected);
        Snapshot end = Snapshot.of(host);
        System.out.printf("restarts IT: start %s, after 50 restarts %s%n", start, end);
        assertThat(end).isEqualTo(start);
        assertThat(
                host.metrics()
                    .find("interactive.read.consumer.restarts")
                    .tag("reason", "requested")
                    .counter()
                    .count())
            .isEqualTo(50);
      } finally {
        host.stop();
      }
    }
  }

  private static void produce(String topic, int n, Map<Long, Long> expected, long seed) {
    java.util.Random random = new java.util.Random(seed);
    List<String[]> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long aid = 1 + random.nextInt(30);
      expected.merge(aid, 1L, Long::sum);
      records.add(new String[] {Long.toString(aid), "{\"uid\":1,\"aid\":" + aid + "}"});
    }
    ReadEventsStack.produce(TestStack.kafkaBootstrap(), topic, records);
  }

  private static void await(TestDatabase db, Map<Long, Long> expected) throws Exception {
    long deadline = System.nanoTime() + 90_000_000_000L;
    Map<Long, Long> actual = Map.of();
    while (System.nanoTime() < deadline) {
      actual = new HashMap<>();
      try (CloseableDSLContext sql =
          DSL.using(db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword())) {
        for (var r : sql.fetch("SELECT biz_id, read_cnt FROM interactives")) {
          actual.put(r.get(0, Long.class), r.get(1, Long.class));
        }
      }
      if (actual.equals(expected)) {
        return;
      }
      Thread.sleep(200);
    }
    assertThat(actual).isEqualTo(expected);
  }

  /** What must not grow: threads by name, Kafka consumer clients metered, pool connections. */
  record Snapshot(
      long consumerThreads,
      long heartbeatThreads,
      long meterRefreshThreads,
      int consumerClients,
      double activePoolConnections) {
    static Snapshot of(ServiceHost host) {
      long consumerThreads = 0;
      long heartbeats = 0;
      long meterRefresh = 0;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().startsWith("interactive-read-consumer-")) {
          consumerThreads++;
        }
        if (t.getName().startsWith("kafka-coordinator-heartbeat-thread")) {
          heartbeats++;
        }
        if (t.getName().startsWith("kafka-consumer-meters")) {
          meterRefresh++;
        }
      }
      Set<String> clients = new HashSet<>();
      for (Meter m : host.metrics().getMeters()) {
        if (m.getId().getName().startsWith("kafka.consumer.")) {
          String id = m.getId().getTag("client.id");
          if (id != null) {
            clients.add(id);
          }
        }
      }
      double pool = host.metrics().find("hikaricp.connections.active").gauge().value();
      return new Snapshot(consumerThreads, heartbeats, meterRefresh, clients.size(), pool);
    }
  }
}
