package com.webook.user.repository.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.user.domain.User;
import com.webook.user.domain.WechatInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The cached JSON shape: round trips, tolerance for newer writers, and corrupt values as misses.
 */
class UserCacheTest {
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  // No connection: only the key and JSON functions are exercised here (Redis itself in the ITs).
  private final UserCache cache =
      new UserCache(null, Duration.ofMinutes(15), "ns:", Duration.ofSeconds(1), metrics);

  @Test
  void keysAreNamespacedUserInfoIds() {
    assertThat(cache.key(42)).isEqualTo("ns:user:info:42");
    assertThat(
            new UserCache(null, Duration.ofMinutes(15), "", Duration.ofSeconds(1), metrics).key(42))
        .isEqualTo("user:info:42");
  }

  @Test
  void aFullProfileRoundTrips() {
    User user =
        new User(
            7,
            "a@example.com",
            "13812345678",
            "昵称 😀",
            Instant.parse("1990-01-02T03:04:05.006Z"),
            "about",
            new WechatInfo("open", "union"),
            Instant.ofEpochMilli(1_700_000_000_123L),
            Instant.ofEpochMilli(1_700_000_100_456L));

    assertThat(cache.decode("k", cache.encode(user))).isEqualTo(user);
  }

  @Test
  void aProfileWithoutBirthdayOrIdentitiesRoundTrips() {
    User user =
        new User(
            8,
            "",
            "",
            "",
            null,
            "",
            WechatInfo.NONE,
            Instant.ofEpochMilli(1),
            Instant.ofEpochMilli(2));

    String json = cache.encode(user);

    assertThat(cache.decode("k", json)).isEqualTo(user);
    assertThat(json).contains("\"birthday\":null").doesNotContain("password");
  }

  @Test
  void unknownFieldsFromANewerWriterAreIgnored() {
    String json =
        "{\"id\":9,\"email\":\"e@x.io\",\"phone\":\"\",\"nickname\":\"n\",\"birthday\":null,\"aboutMe\":\"\","
            + "\"wechatOpenId\":\"\",\"wechatUnionId\":\"\",\"ctime\":1,\"utime\":2,\"avatar\":\"new-field\"}";

    assertThat(cache.decode("k", json))
        .extracting(User::id, User::email)
        .containsExactly(9L, "e@x.io");
  }

  @Test
  void aCorruptValueIsAMissAndCounted() {
    assertThat(cache.decode("k", "{not json")).isNull();
    assertThat(cache.decode("k", "{\"id\":1}")).as("missing times").isNull();
    assertThat(metrics.counter("cache.decode.failures", "cache", "user_info").count()).isEqualTo(2);
  }
}
