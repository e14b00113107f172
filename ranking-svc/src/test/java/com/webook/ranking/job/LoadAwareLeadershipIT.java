package com.webook.ranking.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.platform.redis.RedisLock;
import com.webook.testsupport.TestStack;
import com.webook.testsupport.ThrowawayRedis;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several in-process {@link LoadAwareLeadership} instances (each with its own scheduler, load and
 * meters, as separate processes would have) against the real Redis of the local stack, with short
 * intervals (load every 200 ms, lock TTL 1 s). Each test has its own lock key, and so its own load
 * sets. A sampler checks, every few milliseconds for the whole test, that no two instances hold the
 * lock at once and that an instance that holds it agrees with the lock's value in Redis.
 */
class LoadAwareLeadershipIT {
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final int HANDOVER = 80;

  private static Redis redis;
  private static RedisCommands<String, String> sync;

  private final List<Instance> instances = new ArrayList<>();

  /** Where the instances of the current test connect: the stack's Redis unless a test says so. */
  private Redis target = null;

  private LeadershipConfig config;
  private Sampler sampler;

  @BeforeAll
  static void connect() {
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
    sync = redis.connection().sync();
  }

  @AfterAll
  static void disconnect() {
    redis.close();
  }

  @BeforeEach
  void ownKeys() {
    config =
        new LeadershipConfig(TestStack.unique("lock:ranking:topN"), TTL, INTERVAL, 1, HANDOVER, "");
  }

  @AfterEach
  void stop() throws Exception {
    if (sampler != null) {
      sampler.close();
    }
    for (Instance i : instances) {
      i.leadership().close();
      i.scheduler().shutdownNow();
    }
    if (target == null || target == redis) {
      sync.del(config.lockKey(), config.loadKey(), config.seenKey());
    }
    if (sampler != null) {
      assertThat(sampler.violations).as("two holders, or a holder Redis disagrees with").isEmpty();
    }
  }

  @Test
  void exactlyOneLeaderAmongThreeOverTime() throws Exception {
    start(20, 20, 20);
    Instance leader = awaitLeader();
    sampler.reset();
    Thread.sleep(3_000);

    System.out.printf(
        "one leader: %d samples, %.1f %% with a leader, acquisitions %.0f%n",
        sampler.samples.get(),
        100.0 * sampler.withLeader.get() / sampler.samples.get(),
        acquired());
    assertThat(sampler.withLeader.get())
        .as("samples with a leader, of %d", sampler.samples.get())
        .isGreaterThanOrEqualTo(sampler.samples.get() * 9 / 10);
    assertThat(leaders())
        .as("the holder keeps the lock while its load is low")
        .containsExactly(leader);
    assertThat(sync.get(config.lockKey())).isEqualTo(leader.token());
    assertThat(sync.zcard(config.loadKey())).as("every instance published").isEqualTo(3);
    assertThat(leader.metrics().get("ranking.leadership.leader").gauge().value()).isEqualTo(1.0);
    assertThat(leader.metrics().get("ranking.leadership.load").gauge().value()).isEqualTo(20.0);
  }

  @Test
  void theLowestLoadedBecomesLeader() {
    start(40, 10, 60);
    assertThat(awaitLeader().id()).isEqualTo("i1");
    assertThat(instances.get(1).changes("acquired")).isEqualTo(1.0);
    assertThat(instances.get(0).changes("acquired") + instances.get(2).changes("acquired"))
        .as("the others never took it")
        .isZero();
  }

  @Test
  void aLoadedHolderHandsOverAfterItsRunWithinTwoIntervals() throws Exception {
    start(10, 30, 50);
    Instance first = awaitLeader();
    assertThat(first.id()).isEqualTo("i0");

    first.leadership().afterRun();
    Thread.sleep(INTERVAL.toMillis());
    assertThat(leaders()).as("at or below the threshold: kept").containsExactly(first);

    first.load().set(90);
    long start = System.nanoTime();
    first.leadership().afterRun();
    assertThat(first.leadership().isLeader()).as("released at once").isFalse();
    Instance next = awaitLeader();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    System.out.printf("handover: %s -> %s in %d ms%n", first.id(), next.id(), millis);
    assertThat(next.id()).as("the lowest-loaded of the others").isEqualTo("i1");
    assertThat(millis).as("ms to the next leader").isLessThanOrEqualTo(2 * INTERVAL.toMillis());
    assertThat(first.changes("handover")).isEqualTo(1.0);
    Thread.sleep(3 * INTERVAL.toMillis());
    assertThat(leaders()).as("the loaded one does not take it back").containsExactly(next);
  }

  @Test
  void whenAllAreLoadedExactlyOneStillComputes() throws Exception {
    start(90, 95, 85);
    Instance lowest = instances.get(2);
    assertThat(awaitLeader()).isEqualTo(lowest);
    for (int run = 0; run < 5; run++) {
      Instance holder = awaitLeader();
      long start = System.nanoTime();
      holder.leadership().afterRun(); // above the threshold: releases
      Instance next = awaitLeader();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      System.out.printf(
          "all loaded, run %d: %s -> %s in %d ms%n", run, holder.id(), next.id(), millis);
      assertThat(next).as("the lowest retakes it, even above the threshold").isEqualTo(lowest);
      assertThat(millis).isLessThanOrEqualTo(2 * INTERVAL.toMillis());
    }
    assertThat(lowest.changes("handover")).isEqualTo(5.0);
    assertThat(lowest.changes("acquired")).isEqualTo(6.0);
  }

  @Test
  void aHolderThatStopsRenewingIsReplacedAfterTheTtlAndCannotPublish() throws Exception {
    start(10, 30, 50);
    Instance dead = awaitLeader();
    assertThat(dead.id()).isEqualTo("i0");
    RedisLock.Lease stale = dead.leadership().lease().orElseThrow();

    // Death without a goodbye: the loop stops, nothing is released or removed.
    long killed = System.nanoTime();
    dead.scheduler().shutdownNow();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> !dead.leadership().isLeader());
    long notLeaderMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
    Instance next = awaitLeader();
    long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

    System.out.printf(
        "dead holder: stops calling itself leader after %d ms, %s leads after %d ms%n",
        notLeaderMillis, next.id(), takeoverMillis);
    // From the last renewal, which may have been in flight when the loop was stopped.
    assertThat(notLeaderMillis)
        .as("its own view ends within the TTL")
        .isLessThanOrEqualTo(TTL.plus(INTERVAL).toMillis());
    assertThat(next.id()).isEqualTo("i1");
    assertThat(takeoverMillis)
        .as("TTL, then the dead one's liveness runs out, then a tick")
        .isLessThanOrEqualTo(
            TTL.plus(config.liveWindow()).plus(INTERVAL.multipliedBy(3)).toMillis());
    assertThat(sync.zscore(config.loadKey(), dead.id())).as("pruned from the loads").isNull();

    String topN = config.lockKey() + ":data";
    assertThat(stale.setIfHeld(topN, "stale list")).as("fenced").isFalse();
    assertThat(sync.exists(topN)).isZero();
    assertThat(next.leadership().lease().orElseThrow().setIfHeld(topN, "fresh list")).isTrue();
    assertThat(sync.get(topN)).isEqualTo("fresh list");
    sync.del(topN);
  }

  @Test
  void aClosedHolderReleasesAndLeavesTheLoadSets() {
    start(10, 30, 50);
    Instance first = awaitLeader();
    long start = System.nanoTime();
    first.leadership().close();
    Instance next = awaitLeader();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf("graceful stop: %s -> %s in %d ms%n", first.id(), next.id(), millis);
    assertThat(next.id()).isEqualTo("i1");
    assertThat(millis).as("no TTL to wait for").isLessThanOrEqualTo(2 * INTERVAL.toMillis());
    assertThat(sync.zscore(config.loadKey(), first.id())).isNull();
    assertThat(sync.zscore(config.seenKey(), first.id())).isNull();
    assertThat(first.metrics().find("ranking.leadership.leader").gauge())
        .as("meters removed")
        .isNull();
  }

  @Test
  void aHolderCutOffFromRedisStopsCallingItselfLeaderWithinTheTtl() throws Exception {
    try (ThrowawayRedis server = ThrowawayRedis.start();
        Redis own = Redis.connect(new RedisConfig(server.url(), Duration.ofMillis(300)), null)) {
      target = own;
      start(10, 30);
      Instance holder = awaitLeader();
      long frozen = System.nanoTime();
      server.freeze();
      try {
        await()
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> leaders().isEmpty());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
        System.out.printf(
            "Redis frozen: %s stops calling itself leader after %d ms%n", holder.id(), millis);
        // The TTL counts from the last renewal, which may be one that was in flight when the
        // freeze began: so the TTL plus at most one tick after the freeze.
        assertThat(millis)
            .as("within the TTL of the last renewal")
            .isLessThanOrEqualTo(TTL.plus(INTERVAL).toMillis());
        Thread.sleep(TTL.toMillis());
        assertThat(leaders()).as("nobody leads while Redis does not answer").isEmpty();
      } finally {
        server.thaw();
      }
      Instance after = awaitLeader();
      long total = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
      System.out.printf("Redis thawed: %s leads, %d ms after the freeze%n", after.id(), total);
      assertThat(after.id()).isEqualTo("i0");
      assertThat(holder.failures("renew") + holder.failures("publish")).isPositive();
      assertThat(holder.changes("lost")).isEqualTo(1.0);
      sampler.close();
      assertThat(sampler.violations).isEmpty();
      for (Instance i : instances) {
        i.leadership().close();
        i.scheduler().shutdownNow();
      }
      instances.clear();
    }
  }

  // --- harness ---

  private void start(int... loads) {
    Redis on = target == null ? redis : target;
    for (int n = 0; n < loads.length; n++) {
      String id = "i" + n;
      AtomicInteger load = new AtomicInteger(loads[n]);
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "leadership-" + id));
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      LoadAwareLeadership leadership =
          new LoadAwareLeadership(
              on.connection(), config, id, load::get, Clock.systemUTC(), metrics, scheduler);
      instances.add(new Instance(id, load, scheduler, metrics, leadership));
    }
    sampler = new Sampler(List.copyOf(instances), on.connection().sync(), config.lockKey());
    instances.forEach(i -> i.leadership().start());
  }

  /** The one leader, once there is one (the sampler fails the test if there are ever two). */
  private Instance awaitLeader() {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(2))
        .until(
            () -> {
              List<Instance> now = leaders();
              return now.size() == 1 ? now.getFirst() : null;
            },
            i -> i != null);
  }

  private List<Instance> leaders() {
    return instances.stream().filter(i -> i.leadership().isLeader()).toList();
  }

  private double acquired() {
    return instances.stream().mapToDouble(i -> i.changes("acquired")).sum();
  }

  private record Instance(
      String id,
      AtomicInteger load,
      ScheduledExecutorService scheduler,
      SimpleMeterRegistry metrics,
      LoadAwareLeadership leadership) {
    String token() {
      return leadership.lease().map(RedisLock.Lease::token).orElse(null);
    }

    double failures(String step) {
      return metrics.get("ranking.leadership.failures").tag("step", step).counter().count();
    }

    double changes(String event) {
      return metrics.get("ranking.leadership.changes").tag("event", event).counter().count();
    }
  }

  /**
   * Samples every instance's lease, the lock's value in Redis, then every lease again. An instance
   * with the same lease at both ends held the lock throughout (a lease, once lost, never comes
   * back), so Redis must show its token in between, and no two instances may do so in one sample.
   */
  private static final class Sampler implements AutoCloseable {
    final List<String> violations = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicLong withLeader = new AtomicLong();
    private final List<Instance> instances;
    private final RedisCommands<String, String> redis;
    private final String lockKey;
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(List<Instance> instances, RedisCommands<String, String> redis, String lockKey) {
      this.instances = instances;
      this.redis = redis;
      this.lockKey = lockKey;
      this.thread = new Thread(this::run, "leader-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void reset() {
      samples.set(0);
      withLeader.set(0);
    }

    private void run() {
      while (running) {
        List<String> first = tokens();
        String inRedis;
        try {
          inRedis = redis.get(lockKey);
        } catch (RuntimeException e) {
          continue; // the instances see the same failure; nothing to compare this time
        }
        List<String> second = tokens();
        int holders = 0;
        for (int n = 0; n < instances.size(); n++) {
          String token = first.get(n);
          if (token != null && token.equals(second.get(n))) {
            holders++;
            if (!token.equals(inRedis)) {
              violations.add(instances.get(n).id() + " holds " + token + ", Redis has " + inRedis);
            }
          }
        }
        if (holders > 1) {
          violations.add(holders + " holders at once: " + first + " / " + second);
        }
        samples.incrementAndGet();
        if (holders == 1) {
          withLeader.incrementAndGet();
        }
        try {
          Thread.sleep(3);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private List<String> tokens() {
      List<String> tokens = new ArrayList<>();
      for (Instance i : instances) {
        tokens.add(i.leadership().lease().map(RedisLock.Lease::token).orElse(null));
      }
      return tokens;
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join(5_000);
    }
  }
}
