package com.webook.interactive.testing;

import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.interactive.InteractiveApp;
import com.webook.interactive.InteractiveConfig;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jooq.CloseableDSLContext;
import org.jooq.impl.DSL;

/**
 * interactive-svc in the test's JVM, built by {@link InteractiveApp#wire} (the composition root
 * {@code main} uses) on a {@link ServiceHost} of its own: the dev profile with a database of the
 * test's own (migrated) on the stack's MariaDB, a Redis key namespace of its own, a read-event
 * topic of its own, registration off and free ports. The one seam: the DAO is a {@link
 * CountingInteractiveDao}.
 */
public final class InteractiveStack implements AutoCloseable {
  public final TestDatabase database;
  public final String cacheNamespace = TestStack.unique("intr-it") + ":";
  public final CountingInteractiveDao dao;
  public final InteractiveConfig config;

  /** A connection of the test's own to the service's Redis, for assertions on keys. */
  public final Redis redis;

  private final ServiceHost host;
  private final ManagedChannel channel;

  public static InteractiveStack start() {
    return start(Map.of());
  }

  /**
   * @param overrides more {@code WEBOOK_*} settings, e.g. another Redis
   */
  public static InteractiveStack start(Map<String, String> overrides) {
    try {
      return new InteractiveStack(overrides);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start interactive-svc in-process", e);
    }
  }

  private InteractiveStack(Map<String, String> overrides) throws Exception {
    database = TestStack.newDatabase("intr");
    Map<String, String> env = new HashMap<>(TestStack.serviceEnv(database.name()));
    env.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
    env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
    env.put("WEBOOK_GRPC_SHUTDOWN_TIMEOUT", "5s");
    env.put("WEBOOK_ADMIN_PORT", "0");
    env.put("WEBOOK_REGISTRY_ENABLED", "false");
    env.put("WEBOOK_ETCD_NAMESPACE", "/" + TestStack.unique("intr-it"));
    env.put("WEBOOK_MYSQL_MAX_POOL_SIZE", "24");
    env.put("WEBOOK_MYSQL_CONNECTION_TIMEOUT", "20s");
    env.put("WEBOOK_REDIS_COMMAND_TIMEOUT", "2s");
    env.put("WEBOOK_CACHE_KEY_NAMESPACE", cacheNamespace);
    env.put("WEBOOK_CACHE_TIMEOUT", "2s");
    // Read events of its own: no other test's (or webook up's) consumers share its partitions.
    env.put("WEBOOK_EVENTS_GROUP", TestStack.unique("interactive"));
    env.put("WEBOOK_EVENTS_TOPIC", TestStack.newTopic("article_read", 3));
    env.put("WEBOOK_EVENTS_DLQ_TOPIC", TestStack.newTopic("article_read.dlq", 1));
    env.putAll(overrides);
    config = new ConfigLoader(env).load(InteractiveConfig.class, new String[0]);

    host = new ServiceHost("interactive-svc-it", config);
    AtomicReference<CountingInteractiveDao> counting = new AtomicReference<>();
    GrpcServer server;
    try {
      server =
          host.start(
              InteractiveApp.wire(
                  config,
                  host,
                  db -> {
                    counting.set(new CountingInteractiveDao(db));
                    return counting.get();
                  }));
    } catch (Exception e) {
      host.stop();
      database.close();
      throw e;
    }
    dao = counting.get();
    redis = Redis.connect(config.redis(), null);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  /** A blocking stub with a generous deadline. */
  public InteractiveServiceGrpc.InteractiveServiceBlockingStub intr() {
    return InteractiveServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The test's channel to the service (plaintext, loopback). */
  public ManagedChannel channel() {
    return channel;
  }

  /** The counter cache's key of one item. */
  public String cacheKey(String biz, long bizId) {
    return cacheNamespace + "interactive:" + biz + ":" + bizId;
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
    database.close();
  }
}
