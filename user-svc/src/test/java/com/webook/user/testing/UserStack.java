package com.webook.user.testing;

import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.db.Database;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.user.grpc.UserGrpcService;
import com.webook.user.repository.CachedUserRepository;
import com.webook.user.repository.cache.UserCache;
import com.webook.user.service.BcryptPasswordHasher;
import com.webook.user.service.UserService;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * user-svc's UserService wired like UserApp wires it, in the test's JVM, against real MariaDB (a
 * database of the test's own, migrated) and a real Redis, served by the platform GrpcServer (the
 * production interceptor stack) on a free loopback port. The DAO is a {@link ControllableUserDao}
 * and cache keys live under a namespace of the test's own.
 */
public final class UserStack implements AutoCloseable {
  public final TestDatabase database;
  public final Database db;
  public final Redis redis;
  public final ControllableUserDao dao;
  public final UserCache cache;
  public final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  public final String namespace = TestStack.unique("user-it") + ":";
  private final GrpcServer server;
  private final ManagedChannel channel;

  private UserStack(String redisUrl, int bypassConcurrency) {
    database = TestStack.newDatabase("user_core");
    db =
        Database.connect(
            new MysqlConfig(
                TestStack.mysqlServerUrl(),
                database.name(),
                TestStack.mysqlUser(),
                TestStack.mysqlPassword(),
                16,
                Duration.ofSeconds(20)),
            "user-it",
            metrics);
    db.migrate();
    // A short command timeout: tests that kill Redis should not wait long for each failure.
    RedisConfig redisConfig = new RedisConfig(redisUrl, Duration.ofSeconds(2));
    redis = Redis.connect(redisConfig, metrics);
    dao = new ControllableUserDao(db.dsl());
    cache =
        new UserCache(
            redis.connection(),
            Duration.ofMinutes(15),
            namespace,
            redisConfig.commandTimeout(),
            metrics);
    CachedUserRepository repository =
        new CachedUserRepository(dao, cache, bypassConcurrency, metrics);
    Clock clock = Clock.systemUTC();
    UserService service = new UserService(repository, new BcryptPasswordHasher(4), clock);
    server =
        GrpcServer.builder(
                "user-svc-it",
                new GrpcServerConfig(
                    ServiceProcess.freePort(),
                    "127.0.0.1",
                    Duration.ZERO,
                    Duration.ofSeconds(5),
                    4 * 1024 * 1024))
            .metrics(metrics)
            .addService(new UserGrpcService(service, clock))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  public static UserStack start() {
    return new UserStack(TestStack.redisUrl(), 32);
  }

  public static UserStack start(String redisUrl, int bypassConcurrency) {
    return new UserStack(redisUrl, bypassConcurrency);
  }

  /** A blocking stub with a generous deadline. */
  public UserServiceGrpc.UserServiceBlockingStub users() {
    return UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /** The value of a counter of the cache layer, 0 when it was never registered. */
  public double counter(String name, String... tags) {
    Counter c = metrics.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop();
    redis.close();
    db.close();
    database.close();
  }
}
