package com.webook.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestStack;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ZAddArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisSlidingWindowLimiterIT {
  private static Redis redis;

  @BeforeAll
  static void connect() {
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
  }

  @AfterAll
  static void close() {
    redis.close();
  }

  @Test
  void allowsExactlyTheLimitWithinTheWindowAcrossConcurrentCallers() throws Exception {
    RedisSlidingWindowLimiter limiter =
        new RedisSlidingWindowLimiter(redis.connection(), Duration.ofSeconds(10), 25);
    String key = TestStack.unique("limiter");
    List<Callable<Boolean>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      calls.add(() -> limiter.limited(key));
    }
    int allowed = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (Future<Boolean> f : pool.invokeAll(calls)) {
        if (!f.get()) {
          allowed++;
        }
      }
    }
    assertThat(allowed).isEqualTo(25);
    assertThat(limiter.limited(TestStack.unique("other-key"))).as("keys are independent").isFalse();
  }

  @Test
  void theWindowSlides() {
    // Time is moved by ageing the recorded requests (their scores are Redis-clock milliseconds),
    // not by sleeping: a long window keeps the first three calls inside it however slow the
    // machine is, and the ageing puts the first two past it exactly.
    Duration window = Duration.ofMinutes(1);
    RedisSlidingWindowLimiter limiter =
        new RedisSlidingWindowLimiter(redis.connection(), window, 2);
    String key = TestStack.unique("limiter");
    assertThat(limiter.limited(key)).isFalse();
    assertThat(limiter.limited(key)).isFalse();
    assertThat(limiter.limited(key)).as("the third request within the window").isTrue();
    var sync = redis.connection().sync();
    for (ScoredValue<String> recorded : sync.zrangeWithScores(key, 0, -1)) {
      sync.zadd(
          key,
          ZAddArgs.Builder.xx(),
          recorded.getScore() - window.toMillis() - 1,
          recorded.getValue());
    }
    assertThat(limiter.limited(key)).as("old requests left the window").isFalse();
    assertThat(sync.zcard(key)).as("only the new request is recorded").isEqualTo(1L);
    assertThat(sync.pttl(key))
        .as("the key expires with the window")
        .isBetween(1L, window.toMillis());
  }

  @Test
  void survivesAScriptFlush() {
    RedisSlidingWindowLimiter limiter =
        new RedisSlidingWindowLimiter(redis.connection(), Duration.ofSeconds(1), 5);
    String key = TestStack.unique("limiter");
    assertThat(limiter.limited(key)).isFalse();
    redis.connection().sync().scriptFlush();
    assertThat(limiter.limited(key)).as("EVALSHA falls back to EVAL").isFalse();
  }
}
