package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Whose IP the limit counts (SPEC §9): the socket's, unless X-Forwarded-For is trusted by config.
 */
class ClientIpTest {
  @Test
  void theSocketAddressUnlessForwardedForIsTrusted() {
    List<String> keys = new CopyOnWriteArrayList<>();
    try (TestBff bff =
        TestBff.inMemory(
            Map.of("WEBOOK_HTTP_TRUST_FORWARDED_FOR", "false"), key -> !keys.add(key))) {
      bff.get("/hello", "X-Forwarded-For", "203.0.113.7");
      assertThat(keys).containsExactly("ip-limiter:127.0.0.1");
    }
  }

  @Test
  void theLastForwardedEntryWhenTrusted() {
    List<String> keys = new CopyOnWriteArrayList<>();
    try (TestBff bff = TestBff.inMemory(Map.of(), key -> !keys.add(key))) {
      bff.get("/hello", "X-Forwarded-For", "198.51.100.1, 203.0.113.7");
      bff.get("/hello", "X-Forwarded-For", " ");
      assertThat(keys).containsExactly("ip-limiter:203.0.113.7", "ip-limiter:127.0.0.1");
    }
  }

  @Test
  void aLimiterFailureLetsRequestsThroughByDefaultAndIsCounted() {
    try (TestBff bff =
        TestBff.inMemory(
            Map.of(),
            key -> {
              throw new IllegalStateException("redis down");
            })) {
      assertThat(bff.get("/hello").statusCode()).isEqualTo(200);
      assertThat(
              bff.metrics.get("bff.ratelimit.errors").tag("decision", "allowed").counter().count())
          .isEqualTo(1);
    }
  }

  @Test
  void aLimiterFailureRefusesWhenConfiguredTo() {
    try (TestBff bff =
        TestBff.inMemory(
            Map.of("WEBOOK_RATE_LIMIT_ALLOW_ON_ERROR", "false"),
            key -> {
              throw new IllegalStateException("redis down");
            })) {
      var r = bff.get("/hello");
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.body()).isEmpty();
      assertThat(
              bff.metrics.get("bff.ratelimit.errors").tag("decision", "rejected").counter().count())
          .isEqualTo(1);
    }
  }
}
