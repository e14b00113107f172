package com.webook.article.testing;

import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.article.ArticleApp;
import com.webook.article.ArticleConfig;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.CloseableDSLContext;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * article-svc in the test's JVM, built by {@link ArticleApp#wire} (the composition root {@code
 * main} uses) on a {@link ServiceHost} of its own: the dev profile with overrides for a database of
 * the test's own (migrated) on the stack's MariaDB, a Redis key namespace and a Kafka topic of its
 * own, an etcd namespace of its own in which a {@link FakeUserSvc} is registered as {@code user},
 * and free ports. The one seam: the DAO is a {@link CountingArticleDao}. {@link #serviceDsl} and
 * {@link #channel} hand out the service's own database handle and client channels, for tests of the
 * wiring itself.
 */
public final class ArticleStack implements AutoCloseable {
  public final TestDatabase database;
  public final String etcdNamespace = "/" + TestStack.unique("article-it");
  public final String cacheNamespace = TestStack.unique("article-it") + ":";
  public final String topic;
  public final FakeUserSvc users;
  public final CountingArticleDao dao;
  public final ArticleConfig config;

  /** A connection of the test's own to the service's Redis, for assertions on keys. */
  public final Redis redis;

  private final ServiceHost host;
  private final DSLContext serviceDsl;
  private final GrpcServer server;
  private final ManagedChannel channel;

  /** The dev profile on the shared stack. */
  public static ArticleStack start() {
    return start(Map.of());
  }

  /**
   * The dev profile on the shared stack, with more settings.
   *
   * @param overrides more {@code WEBOOK_*} settings, e.g. another Redis or Kafka ({@code
   *     WEBOOK_KAFKA_BOOTSTRAP} plus {@code WEBOOK_EVENTS_TOPIC})
   */
  public static ArticleStack start(Map<String, String> overrides) {
    return start(overrides, new String[0]);
  }

  /**
   * The dev profile on the shared stack, with more settings and command-line arguments (e.g. {@code
   * --config <file>} for keys environment variables cannot add, such as Kafka client properties).
   */
  public static ArticleStack start(Map<String, String> overrides, String[] args) {
    try {
      return new ArticleStack(overrides, args);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start article-svc in-process", e);
    }
  }

  private ArticleStack(Map<String, String> overrides, String[] args) throws Exception {
    database = TestStack.newDatabase("article");
    users = new FakeUserSvc(etcdNamespace);
    Map<String, String> env = new HashMap<>(TestStack.serviceEnv(database.name()));
    env.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
    env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
    env.put("WEBOOK_GRPC_SHUTDOWN_TIMEOUT", "5s");
    env.put("WEBOOK_ADMIN_PORT", "0");
    env.put("WEBOOK_REGISTRY_ENABLED", "false");
    env.put("WEBOOK_ETCD_NAMESPACE", etcdNamespace);
    env.put("WEBOOK_MYSQL_MAX_POOL_SIZE", "24");
    env.put("WEBOOK_MYSQL_CONNECTION_TIMEOUT", "20s");
    env.put("WEBOOK_REDIS_COMMAND_TIMEOUT", "2s");
    env.put("WEBOOK_CACHE_KEY_NAMESPACE", cacheNamespace);
    if (!overrides.containsKey("WEBOOK_EVENTS_TOPIC")) {
      env.put("WEBOOK_EVENTS_TOPIC", TestStack.newTopic("article-read", 3));
    }
    env.putAll(overrides);
    topic = env.get("WEBOOK_EVENTS_TOPIC");
    config = new ConfigLoader(env).load(ArticleConfig.class, args);

    host = new ServiceHost("article-svc-it", config);
    AtomicReference<CountingArticleDao> counting = new AtomicReference<>();
    AtomicReference<DSLContext> dsl = new AtomicReference<>();
    try {
      server =
          host.start(
              ArticleApp.wire(
                  config,
                  host,
                  db -> {
                    dsl.set(db);
                    counting.set(new CountingArticleDao(db));
                    return counting.get();
                  }));
    } catch (Exception e) {
      host.stop();
      users.close();
      database.close();
      throw e;
    }
    dao = counting.get();
    serviceDsl = dsl.get();
    redis = Redis.connect(config.redis(), null);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** A blocking stub with a generous deadline. */
  public ArticleServiceGrpc.ArticleServiceBlockingStub articles() {
    return ArticleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /**
   * The {@code DSLContext} the host's database gave the service (its pool; transactions on it are
   * the ones the host tracks), as opposed to {@link #sql()}, a connection of the test's own.
   */
  public DSLContext serviceDsl() {
    return serviceDsl;
  }

  /** The host's channel to {@code service}: the one the service itself calls it through. */
  public Channel channel(String service) {
    return host.channel(service);
  }

  public PrometheusMeterRegistry metrics() {
    return host.metrics();
  }

  /** The value of a counter in the service's registry, 0 when it was never registered. */
  public double counter(String name, String... tags) {
    double total = 0;
    for (Counter c : host.metrics().find(name).tags(tags).counters()) {
      total += c.count();
    }
    return total;
  }

  /** Plain SQL on the service's database, for assertions on rows. */
  public CloseableDSLContext sql() {
    return DSL.using(
        TestStack.jdbcUrl(database.name()), TestStack.mysqlUser(), TestStack.mysqlPassword());
  }

  /** Stops the service (the graceful path: read events reach the producer, which flushes). */
  public void stopService() {
    host.stop();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    host.stop();
    redis.close();
    users.close();
    database.close();
  }
}
