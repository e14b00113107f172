package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.ThrowawayRedis;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis goes away under a running BFF: the login check fails closed (401, counted, logged), while
 * the IP limit fails open as configured. Uses a throwaway redis-server of its own, started on a
 * free port and killed by the test; the shared stack's Redis is never touched.
 */
class RedisDownIT {
  private final ThrowawayRedis redisServer = ThrowawayRedis.start();

  @AfterEach
  void cleanUp() {
    redisServer.close();
  }

  private Redis startThrowawayRedis() {
    return Redis.connect(new RedisConfig(redisServer.url(), Duration.ofMillis(500)), null);
  }

  @Test
  void loginCheckFailsClosedAndTheIpLimitFailsOpen() throws Exception {
    try (Redis redis = startThrowawayRedis();
        TestBff bff = TestBff.withRedis(redis, Map.of())) {
      HttpResponse<String> login = bff.signupAndLogin("down@test.com", "hello#world123");
      String access = TestBff.accessToken(login);
      String refresh = TestBff.refreshToken(login);
      assertThat(bff.get("/users/profile", "Authorization", "Bearer " + access).statusCode())
          .isEqualTo(200);

      redisServer.kill();

      HttpResponse<String> profile = bff.get("/users/profile", "Authorization", "Bearer " + access);
      assertThat(profile.statusCode())
          .as("a valid token, but logouts cannot be checked")
          .isEqualTo(401);
      assertThat(profile.body()).isEmpty();
      assertThat(bff.authFailures("access", "session_store_error")).isGreaterThanOrEqualTo(1);

      HttpResponse<String> refreshed =
          bff.post("/users/refresh_token", "", "Authorization", "Bearer " + refresh);
      assertThat(refreshed.statusCode()).isEqualTo(401);
      assertThat(bff.authFailures("refresh", "session_store_error")).isGreaterThanOrEqualTo(1);

      // The limiter cannot count either, and by default lets requests through (counted).
      HttpResponse<String> again =
          bff.post("/users/login", "{\"email\":\"down@test.com\",\"password\":\"hello#world123\"}");
      assertThat(again.body()).isEqualTo("{\"code\":0,\"msg\":\"登录成功\",\"data\":null}");
      assertThat(
              bff.metrics.get("bff.ratelimit.errors").tag("decision", "allowed").counter().count())
          .isGreaterThanOrEqualTo(1);
    }
  }
}
