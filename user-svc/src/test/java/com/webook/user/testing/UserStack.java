package com.webook.user.testing;

import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.user.UserApp;
import com.webook.user.config.UserConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * user-svc in the test's JVM, built by {@link UserApp#wire} (the composition root {@code main}
 * uses) on a {@link ServiceHost} of its own: the dev profile with overrides for a database of the
 * test's own (migrated) on the stack's MariaDB, the given Redis, a cache key namespace of its own,
 * bcrypt cost 4, free ports, and no etcd registration. The one seam: the user DAO is a {@link
 * ControllableUserDao}.
 */
public final class UserStack implements AutoCloseable {
  public final TestDatabase database;
  public final ControllableUserDao dao;
  public final String namespace = TestStack.unique("user-it") + ":";

  /** A connection of the test's own to the stack's Redis, for assertions on keys. */
  public final Redis redis;

  private final ServiceHost host;
  private final GrpcServer server;
  private final ManagedChannel channel;

  private UserStack(String redisUrl, int bypassConcurrency) throws Exception {
    database = TestStack.newDatabase("user_core");
    Map<String, String> env = new HashMap<>();
    env.put("WEBOOK_GRPC_PORT", String.valueOf(ServiceProcess.freePort()));
    env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
    env.put("WEBOOK_GRPC_SHUTDOWN_TIMEOUT", "5s");
    env.put("WEBOOK_ADMIN_PORT", "0");
    env.put("WEBOOK_REGISTRY_ENABLED", "false");
    env.put("WEBOOK_ETCD_ENDPOINTS", TestStack.etcdEndpoints());
    env.put("WEBOOK_MYSQL_URL", TestStack.mysqlServerUrl());
    env.put("WEBOOK_MYSQL_USER", TestStack.mysqlUser());
    env.put("WEBOOK_MYSQL_PASSWORD", TestStack.mysqlPassword());
    env.put("WEBOOK_MYSQL_DATABASE", database.name());
    env.put("WEBOOK_MYSQL_MAX_POOL_SIZE", "16");
    env.put("WEBOOK_MYSQL_CONNECTION_TIMEOUT", "20s");
    env.put("WEBOOK_REDIS_URL", redisUrl);
    // A short command timeout: tests that kill Redis should not wait long for each failure.
    env.put("WEBOOK_REDIS_COMMAND_TIMEOUT", "2s");
    env.put("WEBOOK_USER_BCRYPT_COST", "4");
    env.put("WEBOOK_CACHE_KEY_NAMESPACE", namespace);
    env.put("WEBOOK_CACHE_BYPASS_CONCURRENCY", String.valueOf(bypassConcurrency));
    UserConfig config = new ConfigLoader(env).load(UserConfig.class, new String[0]);

    host = new ServiceHost("user-svc-it", config);
    AtomicReference<ControllableUserDao> controllable = new AtomicReference<>();
    try {
      server =
          host.start(
              UserApp.wire(
                  config,
                  host,
                  dsl -> {
                    controllable.set(new ControllableUserDao(dsl));
                    return controllable.get();
                  }));
    } catch (Exception e) {
      host.stop();
      database.close();
      throw e;
    }
    dao = controllable.get();
    redis = Redis.connect(config.redis(), null);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  public static UserStack start() {
    return start(TestStack.redisUrl(), 32);
  }

  public static UserStack start(String redisUrl, int bypassConcurrency) {
    try {
      return new UserStack(redisUrl, bypassConcurrency);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start user-svc in-process", e);
    }
  }

  /** A blocking stub with a generous deadline. */
  public UserServiceGrpc.UserServiceBlockingStub users() {
    return UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The value of a counter in the service's registry, 0 when it was never registered. */
  public double counter(String name, String... tags) {
    Counter c = host.metrics().find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  /** The value of a gauge in the service's registry, NaN when it was never registered. */
  public double gauge(String name, String... tags) {
    Gauge g = host.metrics().find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
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
