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
        List.of(),
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
  @SuppressWarnings("unchecked")
  void retriedWritesAreRetriedOnUnavailableAndNeverHedgedBesideHedgedReads() {
    GrpcClientConfig hedged = config(Duration.ofMillis(50));
    GrpcClientConfig withWrites =
        new GrpcClientConfig(
            hedged.deadline(),
            hedged.methodDeadlines(),
            List.of("intr.v1.InteractiveService/Get"),
            List.of("intr.v1.InteractiveService/Like"),
            hedged.maxAttempts(),
            hedged.hedgingDelay(),
            hedged.keepAliveTime(),
            hedged.keepAliveTimeout(),
            hedged.idleTimeout(),
            hedged.balancer(),
            true);
    List<Map<String, Object>> methods =
        (List<Map<String, Object>>) GrpcChannels.serviceConfig(withWrites).get("methodConfig");
    assertThat(methods).hasSize(2);
    assertThat(methods.get(0)).containsKey("hedgingPolicy");
    assertThat(methods.get(0).get("name"))
        .isEqualTo(List.of(Map.of("service", "intr.v1.InteractiveService", "method", "Get")));
    assertThat(methods.get(1)).doesNotContainKey("hedgingPolicy").containsKey("retryPolicy");
    assertThat(methods.get(1).get("name"))
        .isEqualTo(List.of(Map.of("service", "intr.v1.InteractiveService", "method", "Like")));
    assertThat(
            ((Map<String, Object>) methods.get(1).get("retryPolicy")).get("retryableStatusCodes"))
        .isEqualTo(List.of("UNAVAILABLE"));
  }

  @Test
  void aMethodInBothListsIsRejected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new GrpcClientConfig(
                    Duration.ofSeconds(2),
                    Map.of(),
                    List.of("a.B/C"),
                    List.of("a.B/C"),
                    2,
                    Duration.ZERO,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2),
                    Duration.ofMinutes(30),
                    WeightedRoundRobinConfig.defaults(),
                    true))
        .hasMessageContaining("retriedWrites: 'a.B/C' is also in idempotentMethods");
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
