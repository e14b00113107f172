package com.webook.interactive.testing;

import com.webook.interactive.InteractiveApp;
import com.webook.interactive.InteractiveConfig;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;

/**
 * interactive-svc in the test's JVM, built by {@link InteractiveApp#wire} on a host of its own: the
 * dev profile on the shared stack with a database, a read-event topic (3 partitions), a DLQ topic
 * and a cache key namespace of the test's own. {@link #restart} stops the service and builds a new
 * one on the same database and topics (a process restart, in-process).
 */
public final class ReadEventsStack implements AutoCloseable {
  public final TestDatabase database;
  public final String topic;
  public final String dlqTopic;
  public final String group;
  private final Map<String, String> env;
  private final boolean ownsDatabase;
  private ServiceHost host;

  public static ReadEventsStack start(Map<String, String> overrides) {
    return new ReadEventsStack(overrides, null);
  }

  private ReadEventsStack(Map<String, String> overrides, TestDatabase shared) {
    this.ownsDatabase = shared == null;
    this.database = shared != null ? shared : TestStack.newDatabase("intr");
    env = new HashMap<>(TestStack.serviceEnv(database.name()));
    env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
    env.put("WEBOOK_ADMIN_PORT", "0");
    env.put("WEBOOK_REGISTRY_ENABLED", "false");
    env.put("WEBOOK_ETCD_NAMESPACE", "/" + TestStack.unique("intr-it"));
    env.put("WEBOOK_CACHE_KEY_NAMESPACE", TestStack.unique("intr-it") + ":");
    env.put("WEBOOK_EVENTS_BATCH_WAIT", "300ms");
    env.put("WEBOOK_EVENTS_GROUP", TestStack.unique("interactive"));
    if (!overrides.containsKey("WEBOOK_EVENTS_TOPIC")) {
      env.put("WEBOOK_EVENTS_TOPIC", TestStack.newTopic("article_read", 3));
      env.put("WEBOOK_EVENTS_DLQ_TOPIC", TestStack.newTopic("article_read.dlq", 1));
    }
    env.putAll(overrides);
    topic = env.get("WEBOOK_EVENTS_TOPIC");
    dlqTopic = env.get("WEBOOK_EVENTS_DLQ_TOPIC");
    group = env.get("WEBOOK_EVENTS_GROUP");
    startHost();
  }

  private void startHost() {
    Map<String, String> e = new HashMap<>(env);
    e.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
    InteractiveConfig config = new ConfigLoader(e).load(InteractiveConfig.class, new String[0]);
    host = new ServiceHost("interactive-svc-it", config);
    try {
      host.start(InteractiveApp.wire(config, host));
    } catch (Exception ex) {
      host.stop();
      throw new IllegalStateException("cannot start interactive-svc in-process", ex);
    }
  }

  /**
   * Another instance of the service (a second process, in-process): a host of its own on the same
   * database, topics, consumer group and cache namespace. Closing it leaves the database alone.
   */
  public ReadEventsStack anotherInstance() {
    Map<String, String> same = new HashMap<>(env);
    return new ReadEventsStack(same, database);
  }

  /** Stops the service gracefully and starts a new one on the same database and topics. */
  public void restart() {
    host.stop();
    startHost();
  }

  public void stopService() {
    host.stop();
  }

  public PrometheusMeterRegistry metrics() {
    return host.metrics();
  }

  public double counter(String name, String... tags) {
    double total = 0;
    for (Counter c : host.metrics().find(name).tags(tags).counters()) {
      total += c.count();
    }
    return total;
  }

  /** Plain SQL on the service's database. */
  public CloseableDSLContext sql() {
    return DSL.using(
        TestStack.jdbcUrl(database.name()), TestStack.mysqlUser(), TestStack.mysqlPassword());
  }

  /** read_cnt per biz_id of biz "article". */
  public Map<Long, Long> readCounts() {
    Map<Long, Long> out = new HashMap<>();
    try (CloseableDSLContext sql = sql()) {
      for (var r : sql.fetch("SELECT biz_id, read_cnt FROM interactives WHERE biz = 'article'")) {
        out.put(r.get(0, Long.class), r.get(1, Long.class));
      }
    }
    return out;
  }

  /** Sends {@code values} (key, value) to the read-event topic and waits for every ack. */
  public static void produce(String bootstrap, String topic, List<String[]> values) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (String[] kv : values) {
        producer.send(
            new ProducerRecord<>(
                topic,
                kv[0] == null ? null : kv[0].getBytes(StandardCharsets.UTF_8),
                kv[1].getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  @Override
  public void close() {
    host.stop();
    if (ownsDatabase) {
      database.close();
    }
  }
}
