package com.webook.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RedisLockTest {
  @Test
  void tokensAre128RandomBitsInHex() {
    Supplier<String> tokens = RedisLock.secureRandomTokens();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String token = tokens.get();
      assertThat(token).matches("[0-9a-f]{32}");
      seen.add(token);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void refusesAnEmptyKeyOrATtlBelowOneMillisecond() {
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<String, String> redis = mock(StatefulRedisConnection.class);
    assertThatThrownBy(() -> new RedisLock(redis, " ", Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RedisLock(redis, "k", Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new RedisLock(redis, "k", Duration.ofMillis(1)).ttl()).hasMillis(1);
  }
}
