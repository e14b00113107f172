package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-IP limit (SPEC §9) against real Redis. The window is a minute long so that the test
 * depends on counts, not on timing; the client IPs come from X-Forwarded-For (trusted in the test
 * config) and are unique to this run.
 */
class IpRateLimitIT {
  @Test
  void overTheLimitOneIpGets429sAndAnotherIpIsUnaffected() {
    try (Redis redis =
            Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
        TestBff bff =
            TestBff.withRedis(
                redis, Map.of("WEBOOK_RATE_LIMIT_LIMIT", "5", "WEBOOK_RATE_LIMIT_WINDOW", "1m"))) {
      String ipA = "fd00::" + UUID.randomUUID().toString().substring(0, 4);
      String ipB = "fd00::" + UUID.randomUUID().toString().substring(0, 4) + ":1";
      redis.connection().sync().del("ip-limiter:" + ipA, "ip-limiter:" + ipB);

      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        HttpResponse<String> r = bff.get("/hello", "X-Forwarded-For", "203.0.113.9, " + ipA);
        statuses.add(r.statusCode());
        if (r.statusCode() == 429) {
          assertThat(r.body()).isEmpty();
          assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        }
      }
      assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);
      assertThat(redis.connection().sync().zcard("ip-limiter:" + ipA))
          .as("the key of SPEC §1")
          .isEqualTo(5);

      assertThat(bff.get("/hello", "X-Forwarded-For", ipB).statusCode()).isEqualTo(200);
      assertThat(bff.metrics.get("bff.ratelimit.rejections").counter().count()).isEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          bff.metrics
                              .find("http.server.requests")
                              .tag("status", "429")
                              .tag("route", "/hello")
                              .timer())
                      .as("rejections are timed under their route")
                      .isNotNull()
                      .extracting(t -> t.count())
                      .isEqualTo(3L));
      redis.connection().sync().del("ip-limiter:" + ipA, "ip-limiter:" + ipB);
    }
  }
}
