package com.webook.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.RedisConfig;
import com.webook.testsupport.TestStack;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisLock} against the real Redis of the local stack; every test owns its keys. Expiry is
 * forced with {@code PEXPIRE 1} instead of waited for, so no test depends on the machine's speed.
 */
class RedisLockIT {
  private static Redis redis;
  private static RedisCommands<String, String> sync;

  @BeforeAll
  static void connect() {
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
    sync = redis.connection().sync();
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void onlyOneOfManyRacersAcquires() throws Exception {
    String key = TestStack.unique("lock");
    int racers = 16;
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<Optional<RedisLock.Lease>>> calls = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      // One lock object per racer, as one per process would be.
      RedisLock lock = new RedisLock(redis.connection(), key, Duration.ofSeconds(30));
      calls.add(
          () -> {
            go.await();
            return lock.tryAcquire();
          });
    }
    List<RedisLock.Lease> winners = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(racers)) {
      List<Future<Optional<RedisLock.Lease>>> futures = new ArrayList<>();
      for (Callable<Optional<RedisLock.Lease>> call : calls) {
        futures.add(pool.submit(call));
      }
      go.countDown();
      for (Future<Optional<RedisLock.Lease>> f : futures) {
        f.get(30, TimeUnit.SECONDS).ifPresent(winners::add);
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(sync.get(key)).isEqualTo(winners.getFirst().token());
    assertThat(sync.pttl(key)).isBetween(1L, 30_000L);
    assertThat(winners.getFirst().token()).matches("[0-9a-f]{32}");
    assertThat(new RedisLock(redis.connection(), key, Duration.ofSeconds(30)).tryAcquire())
        .as("taken while held")
        .isEmpty();
    assertThat(winners.getFirst().release()).isTrue();
  }

  @Test
  void renewResetsTheTtl() {
    String key = TestStack.unique("lock");
    RedisLock lock = new RedisLock(redis.connection(), key, Duration.ofSeconds(30));
    RedisLock.Lease lease = lock.tryAcquire().orElseThrow();
    // Time passing, without waiting: most of the TTL is used up.
    sync.pexpire(key, 500);
    assertThat(sync.pttl(key)).isLessThanOrEqualTo(500L);

    assertThat(lease.renew()).isTrue();

    assertThat(sync.pttl(key)).as("back to the full TTL").isGreaterThan(20_000L);
    assertThat(sync.get(key)).isEqualTo(lease.token());
    assertThat(lock.holderToken()).contains(lease.token());
    lease.release();
  }

  @Test
  void aLeaseWhoseLockExpiredAndWasTakenCannotRenewReleaseOrWrite() {
    String key = TestStack.unique("lock");
    String dataKey = TestStack.unique("lock-data");
    RedisLock.Lease old =
        new RedisLock(redis.connection(), key, Duration.ofSeconds(30)).tryAcquire().orElseThrow();
    expireNow(key);
    RedisLock.Lease current =
        new RedisLock(redis.connection(), key, Duration.ofSeconds(30)).tryAcquire().orElseThrow();
    assertThat(current.token()).isNotEqualTo(old.token());
    sync.pexpire(key, 20_000);

    assertThat(old.renew()).as("renew").isFalse();
    assertThat(sync.pttl(key)).as("the new holder's TTL untouched").isLessThanOrEqualTo(20_000L);
    assertThat(old.release()).as("release").isFalse();
    assertThat(old.setIfHeld(dataKey, "stale")).as("setIfHeld").isFalse();

    assertThat(sync.get(key)).as("the new holder keeps the lock").isEqualTo(current.token());
    assertThat(sync.exists(dataKey)).as("nothing written").isZero();

    assertThat(current.setIfHeld(dataKey, "fresh")).isTrue();
    assertThat(sync.get(dataKey)).isEqualTo("fresh");
    assertThat(sync.pttl(dataKey)).as("stored without expiry").isEqualTo(-1L);
    assertThat(old.setIfHeld(dataKey, "stale")).isFalse();
    assertThat(sync.get(dataKey)).isEqualTo("fresh");
    assertThat(current.release()).isTrue();
    sync.del(dataKey);
  }

  @Test
  void aLeaseWhoseLockExpiredAndIsFreeCannotRenewEither() {
    String key = TestStack.unique("lock");
    RedisLock.Lease lease =
        new RedisLock(redis.connection(), key, Duration.ofSeconds(30)).tryAcquire().orElseThrow();
    expireNow(key);
    assertThat(lease.renew()).as("no resurrection of an expired lock").isFalse();
    assertThat(sync.exists(key)).isZero();
    assertThat(lease.setIfHeld(TestStack.unique("lock-data"), "x")).isFalse();
  }

  @Test
  void releaseDeletesOnlyOurOwn() {
    String key = TestStack.unique("lock");
    RedisLock lock = new RedisLock(redis.connection(), key, Duration.ofSeconds(30));
    RedisLock.Lease first = lock.tryAcquire().orElseThrow();
    assertThat(first.release()).isTrue();
    assertThat(sync.exists(key)).as("deleted").isZero();
    assertThat(first.release()).as("a second release").isFalse();

    RedisLock.Lease second = lock.tryAcquire().orElseThrow();
    assertThat(first.release()).as("an old lease of the same lock").isFalse();
    assertThat(sync.get(key)).as("the other lease's lock is kept").isEqualTo(second.token());
    assertThat(second.release()).isTrue();
    assertThat(lock.holderToken()).isEmpty();
  }

  @Test
  void survivesAScriptFlush() {
    String key = TestStack.unique("lock");
    RedisLock.Lease lease =
        new RedisLock(redis.connection(), key, Duration.ofSeconds(30)).tryAcquire().orElseThrow();
    sync.scriptFlush();
    assertThat(lease.renew()).as("EVALSHA falls back to EVAL").isTrue();
    assertThat(lease.release()).isTrue();
  }

  private static void expireNow(String key) {
    sync.pexpire(key, 1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sync.exists(key) > 0) {
      assertThat(System.nanoTime()).as("key expired").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }
}
