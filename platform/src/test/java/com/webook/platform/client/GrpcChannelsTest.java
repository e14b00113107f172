package com.webook.platform.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.WeightedRoundRobinConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service config GrpcChannels gives gRPC (the channel itself: HungEndpointTest). */
class GrpcChannelsTest {
  private static GrpcClientConfig config(Duration hedgingDelay) {
    return new GrpcClientConfig(
        Duration.ofSeconds(2),
        Map.of(),
        List.of("user.v1.UserService/Profile", "oauth2.v1.Oauth2Service"),
        2,
        hedgingDelay,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2),
        Duration.ofMinutes(30),
        WeightedRoundRobinConfig.defaults(),
        true);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> methodConfig(Map<String, Object> sc) {
    return ((List<Map<String, Object>>) sc.get("methodConfig")).get(0);
  }

  @Test
  void idempotentMethodsAreHedgedWhenADelayIsSet() {
    Map<String, Object> sc = GrpcChannels.serviceConfig(config(Duration.ofMillis(50)));
    Map<String, Object> method = methodConfig(sc);
    assertThat(method).doesNotContainKey("retryPolicy");
    assertThat(method.get("hedgingPolicy"))
        .isEqualTo(
            Map.of(
                "maxAttempts",
                2.0,
                "hedgingDelay",
                "0.05s",
                "nonFatalStatusCodes",
                List.of("UNAVAILABLE")));
    assertThat(method.get("name"))
        .isEqualTo(
            List.of(
                Map.of("service", "user.v1.UserService", "method", "Profile"),
                Map.of("service", "oauth2.v1.Oauth2Service")));
    assertThat(sc.get("retryThrottling")).isEqualTo(Map.of("maxTokens", 100.0, "tokenRatio", 0.1));
  }

  @Test
  void withoutADelayTheyAreRetriedOnUnavailable() {
    Map<String, Object> method = methodConfig(GrpcChannels.serviceConfig(config(Duration.ZERO)));
    assertThat(method).doesNotContainKey("hedgingPolicy");
    assertThat(method.get("retryPolicy"))
        .isEqualTo(
            Map.of(
                "maxAttempts",
                2.0,
                "initialBackoff",
                "0.01s",
                "maxBackoff",
                "0.1s",
                "backoffMultiplier",
                2.0,
                "retryableStatusCodes",
                List.of("UNAVAILABLE")));
  }

  @Test
  void theBalancerGetsItsTypedConfigRendered() {
    Map<String, Object> sc = GrpcChannels.serviceConfig(config(Duration.ZERO));
    assertThat(sc.get("loadBalancingConfig").toString())
        .contains("webook_weighted_round_robin")
        .contains("groupFallback=ungrouped")
        .contains("slowStartWindow=10s");
  }
}
