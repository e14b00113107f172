package com.webook.platform.kafka;

import com.webook.platform.config.KafkaConfig;
import com.webook.platform.retry.StartBudget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's way to Kafka: {@link #connect} waits (within the start budget) until the cluster
 * answers, then hands out producers and consumers configured from {@link KafkaConfig}, each metered
 * through Micrometer's {@link KafkaClientMetrics}.
 *
 * <p>Ownership: producers are thread-safe and live as long as the process; this class flushes and
 * closes them in {@link #close()}. A consumer belongs to the one thread that polls it (Kafka's
 * rule), so {@link #consumer} returns a {@link MeteredConsumer} that its owner closes (a supervisor
 * restarting a consumer closes the old one, meters included, before asking for a new one). The
 * admin client that checked the cluster stays open for topic checks ({@link #admin()}).
 *
 * <p>Thread-safe.
 */
public final class Kafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Kafka.class);

  private final KafkaConfig config;
  private final String clientId;
  private final MeterRegistry metrics;
  private final AdminClient admin;
  private final KafkaClientMetrics adminMeters;
  private final String clusterId;
  private final List<Producer<?, ?>> producers = new CopyOnWriteArrayList<>();
  private final List<KafkaClientMetrics> producerMeters = new CopyOnWriteArrayList<>();
  private final AtomicInteger sequence = new AtomicInteger();

  /**
   * How often a consumer's binder looks for new client metrics. A per-partition {@code records-lag}
   * exists only once the consumer fetches that partition; the binder's default (60 s) would leave a
   * fresh assignment's lag off the scrape for a minute.
   */
  public static final Duration CONSUMER_METER_REFRESH = Duration.ofSeconds(10);

  private Kafka(
      KafkaConfig config,
      String clientId,
      MeterRegistry metrics,
      AdminClient admin,
      String clusterId) {
    this.config = config;
    this.clientId = clientId;
    this.metrics = metrics;
    this.admin = admin;
    this.clusterId = clusterId;
    this.adminMeters = bind(new KafkaClientMetrics(admin));
  }

  /**
   * Waits until the cluster answers a metadata request ({@code describeCluster}), retrying within
   * {@code budget}.
   *
   * @param config bootstrap servers, timeouts, producer and consumer properties
   * @param clientId prefix of every client's {@code client.id} (e.g. {@code article-8097}), so the
   *     broker's logs and quotas can tell processes apart
   * @param metrics where client meters go; null for none
   * @param budget the start budget
   * @throws com.webook.platform.retry.StartBudgetExceededException naming Kafka and its bootstrap
   *     servers once the budget is spent
   */
  public static Kafka connect(
      KafkaConfig config, String clientId, MeterRegistry metrics, StartBudget budget) {
    String id = clientId.replaceAll("[^A-Za-z0-9._-]", "-");
    return budget.connect(
        "Kafka",
        config.bootstrap(),
        () -> {
          // A plain TCP probe first: while the broker is down, an admin client would log a
          // warning per reconnect; the budget logs the wait once.
          probe(config);
          AdminClient admin = AdminClient.create(adminProperties(config, id + "-admin"));
          try {
            DescribeClusterResult cluster = admin.describeCluster();
            long timeout = config.requestTimeout().toMillis();
            String clusterId = cluster.clusterId().get(timeout, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(timeout, TimeUnit.MILLISECONDS).size();
            log.info("Kafka cluster {} answers ({} broker(s))", clusterId, nodes);
            return new Kafka(config, id, metrics, admin, clusterId);
          } catch (Exception e) {
            admin.close(Duration.ZERO);
            throw e;
          }
        });
  }

  public String clusterId() {
    return clusterId;
  }

  /** The shared admin client (topic checks); do not close it. */
  public AdminClient admin() {
    return admin;
  }

  /**
   * A new producer with the configured properties ({@code kafka.producer.*}), closed (flushed) by
   * {@link #close()}. Producers are thread-safe: create one per purpose, not per send.
   */
  public <K, V> Producer<K, V> producer(Serializer<K> keys, Serializer<V> values) {
    Properties p = new Properties();
    p.putAll(config.producer());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-producer-" + sequence.incrementAndGet());
    p.putIfAbsent(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        String.valueOf(config.requestTimeout().toMillis()));
    KafkaProducer<K, V> producer = new KafkaProducer<>(p, keys, values);
    producers.add(producer);
    producerMeters.add(bind(new KafkaClientMetrics(producer)));
    return producer;
  }

  /**
   * A new consumer in {@code groupId} with the configured properties ({@code kafka.consumer.*}).
   * The thread that polls it owns it and closes it; closing also removes its meters.
   */
  public <K, V> MeteredConsumer<K, V> consumer(
      String groupId, Deserializer<K> keys, Deserializer<V> values) {
    Properties p = new Properties();
    p.putAll(config.consumer());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(
        ConsumerConfig.CLIENT_ID_CONFIG,
        clientId + "-consumer-" + groupId + "-" + sequence.incrementAndGet());
    p.putIfAbsent(
        ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        String.valueOf(config.requestTimeout().toMillis()));
    KafkaConsumer<K, V> consumer = new KafkaConsumer<>(p, keys, values);
    // The binder's own scheduler, as by default, but passed in to set the refresh interval; an
    // external scheduler is not stopped by the binder's close (nor is its refresh task
    // cancelled), so the MeteredConsumer shuts it down with the consumer.
    ScheduledExecutorService refresh =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "kafka-consumer-meters");
              t.setDaemon(true);
              return t;
            });
    return new MeteredConsumer<>(
        consumer,
        bind(new KafkaClientMetrics(consumer, List.of(), refresh, CONSUMER_METER_REFRESH)),
        refresh);
  }

  /** Flushes and closes the producers (each within the request timeout), then the admin client. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (Producer<?, ?> producer : producers) {
      try {
        producer.close(config.requestTimeout());
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    producerMeters.forEach(KafkaClientMetrics::close);
    adminMeters.close();
    admin.close(config.requestTimeout());
    if (!failures.isEmpty()) {
      log.warn("closing {} Kafka producer(s) failed", failures.size(), failures.get(0));
    }
  }

  private KafkaClientMetrics bind(KafkaClientMetrics meters) {
    if (metrics != null) {
      meters.bindTo(metrics);
    }
    return meters;
  }

  private static Properties adminProperties(KafkaConfig config, String clientId) {
    Properties p = new Properties();
    int timeout = Math.toIntExact(config.requestTimeout().toMillis());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
    return p;
  }

  /** Connects to one bootstrap server after another; throws if none accepts a TCP connection. */
  private static void probe(KafkaConfig config) throws IOException {
    IOException last = null;
    for (String server : config.bootstrap().split(",", -1)) {
      String hostPort = server.trim();
      int colon = hostPort.lastIndexOf(':');
      if (hostPort.isEmpty() || colon < 0) {
        continue;
      }
      try (Socket s = new Socket()) {
        s.connect(
            new InetSocketAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
            Math.toIntExact(config.requestTimeout().toMillis()));
        return;
      } catch (IOException e) {
        last = e;
      }
    }
    throw last != null
        ? last
        : new IOException("no bootstrap server in '" + config.bootstrap() + "'");
  }
}
