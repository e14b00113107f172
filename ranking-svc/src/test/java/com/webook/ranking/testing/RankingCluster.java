package com.webook.ranking.testing;

import com.webook.api.ranking.v1.RankTopNRequest;
import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.api.ranking.v1.TopNRequest;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ranking-svc as real processes (its shaded jar) over one database of the test's own, the stack's
 * Redis (keys under a prefix of the test's own) and etcd (a namespace of the test's own), in which
 * a {@link FakeArticleSvc} and a {@link FakeInteractiveSvc} are registered as its sources. Short
 * periods and intervals (see {@link #TIMING}); each instance's load comes from a file the test
 * writes ({@link #load}).
 */
public final class RankingCluster implements AutoCloseable {
  /** The period and the leadership/job intervals the processes run with. */
  public static final Map<String, String> TIMING =
      Map.of(
          "WEBOOK_SCHEDULE_CRON", "0/4 * * * * ?",
          "WEBOOK_SCHEDULE_JOBS_POLL_INTERVAL", "200ms",
          "WEBOOK_SCHEDULE_JOBS_RENEW_INTERVAL", "500ms",
          "WEBOOK_SCHEDULE_LEADERSHIP_LOCK_TTL", "2s",
          "WEBOOK_SCHEDULE_LEADERSHIP_LOAD_INTERVAL", "300ms",
          "WEBOOK_SERVING_LOCAL_TTL", "1s");

  public static final Duration PERIOD = Duration.ofSeconds(4);
  public static final Duration LOCK_TTL = Duration.ofSeconds(2);

  public final TestDatabase database = TestStack.newDatabase("ranking");
  public final String etcdNamespace = "/" + TestStack.unique("ranking-it");
  public final String keyPrefix = TestStack.unique("ranking-it") + ":";
  public final FakeArticleSvc articles = new FakeArticleSvc(etcdNamespace);
  public final FakeInteractiveSvc counters = new FakeInteractiveSvc(etcdNamespace);
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, Instance> instances = new LinkedHashMap<>();
  private final Path loads;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redis;

  /** One ranking-svc process and its channel. */
  public record Instance(
      String name,
      String id,
      int adminPort,
      Path loadFile,
      ServiceProcess process,
      ManagedChannel channel) {
    public RankingServiceGrpc.RankingServiceBlockingStub stub() {
      return RankingServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public TopNResponse topN() {
      return stub().topN(TopNRequest.getDefaultInstance());
    }

    public void rankTopN() {
      stub().rankTopN(RankTopNRequest.getDefaultInstance());
    }
  }

  public RankingCluster(Map<String, String> overrides) {
    try {
      loads = Files.createTempDirectory("ranking-loads");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    env.putAll(TestStack.serviceEnv(database.name()));
    // A test of its own Redis (one it can kill) passes WEBOOK_REDIS_URL.
    redisClient =
        RedisClient.create(overrides.getOrDefault("WEBOOK_REDIS_URL", TestStack.redisUrl()));
    redis = redisClient.connect();
    env.put("WEBOOK_ETCD_NAMESPACE", etcdNamespace);
    env.put("WEBOOK_GRPC_DRAIN_WINDOW", "0s");
    env.put("WEBOOK_SERVING_KEY_PREFIX", keyPrefix);
    env.put("WEBOOK_SCHEDULE_LEADERSHIP_LOCK_KEY", keyPrefix + "lock:ranking:topN");
    env.putAll(TIMING);
    env.putAll(overrides);
  }

  /** Starts instance {@code name} (load 10 unless set before) and waits until it is ready. */
  public Instance start(String name) {
    int grpcPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    Path loadFile = loads.resolve(name);
    if (!Files.exists(loadFile)) {
      writeLoad(loadFile, 10);
    }
    ServiceProcess process =
        ServiceProcess.fromModuleJar(name, Path.of("").toAbsolutePath())
            .env(env)
            .env("WEBOOK_GRPC_PORT", Integer.toString(grpcPort))
            .env("WEBOOK_ADMIN_PORT", Integer.toString(adminPort))
            .env("WEBOOK_SCHEDULE_LEADERSHIP_LOAD_FILE", loadFile.toString())
            .start();
    try {
      process.awaitReady(adminPort, Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      process.close();
      throw e;
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    Instance instance =
        new Instance(name, "127.0.0.1:" + grpcPort, adminPort, loadFile, process, channel);
    Instance old = instances.put(name, instance);
    if (old != null) {
      old.channel().shutdownNow();
    }
    return instance;
  }

  public Instance instance(String name) {
    return instances.get(name);
  }

  public List<Instance> instances() {
    return List.copyOf(instances.values());
  }

  /** Sets the load (0-100) {@code name} reports from now on (its next load interval). */
  public void load(String name, int load) {
    writeLoad(loads.resolve(name), load);
  }

  private static void writeLoad(Path file, int load) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Integer.toString(load));
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The instance id whose token the leader lock holds now, or null when nobody holds it. */
  public String lockHolder() {
    String token = redis.sync().get(keyPrefix + "lock:ranking:topN");
    if (token == null) {
      return null;
    }
    for (Instance i : instances.values()) {
      if (token.startsWith(i.id() + "/")) {
        return i.name();
      }
    }
    return "?" + token;
  }

  /** The stored list's computation time ({@code ranking:topN}), or null if none is stored. */
  public String storedList() {
    return redis.sync().get(keyPrefix + "ranking:topN");
  }

  public StatefulRedisConnection<String, String> redis() {
    return redis;
  }

  /** A run as recorded in {@code ranking_runs}. */
  public record Run(
      String instance,
      long jobVersion,
      Instant due,
      Instant started,
      Instant finished,
      String outcome) {}

  public List<Run> runs() {
    List<Run> out = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                database.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT instance, job_version, due, started, finished, outcome FROM ranking_runs"
                    + " ORDER BY started, id")) {
      while (r.next()) {
        out.add(
            new Run(
                r.getString(1),
                r.getLong(2),
                Instant.ofEpochMilli(r.getLong(3)),
                Instant.ofEpochMilli(r.getLong(4)),
                Instant.ofEpochMilli(r.getLong(5)),
                r.getString(6)));
      }
    } catch (SQLException e) {
      if (e.getMessage().contains("doesn't exist")) {
        return out; // not migrated yet
      }
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** The instance name of an instance id ({@code 127.0.0.1:port}). */
  public String nameOf(String id) {
    return instances.values().stream()
        .filter(i -> i.id().equals(id))
        .map(Instance::name)
        .findFirst()
        .orElse(id);
  }

  @Override
  public void close() {
    for (Instance i : instances.values()) {
      i.channel().shutdownNow();
      if (i.process().isAlive()) {
        i.process().resume(); // a paused one cannot stop gracefully
        i.process().terminate();
      }
    }
    for (Instance i : instances.values()) {
      try {
        i.process().waitForExit(Duration.ofSeconds(20));
      } catch (RuntimeException e) {
        i.process().kill();
      }
      i.process().close();
    }
    articles.close();
    counters.close();
    redis.close();
    redisClient.shutdown();
    database.close();
  }
}
