package com.webook.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.webook.platform.config.WeightedRoundRobinConfig.GroupFallback;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code clients.<svc>} binds strictly, the balancer section as its own typed record. */
class GrpcClientConfigTest {
  record Clients(Map<String, GrpcClientConfig> clients) {}

  private static final String YAML =
      """
      clients:
        user:
          deadline: 2s
          methodDeadlines: {Login: 3s}
          idempotentMethods: [user.v1.UserService/Profile]
          retriedWrites: [intr.v1.InteractiveService/Like]
          maxAttempts: 2
          hedgingDelay: 50ms
          keepAliveTime: 10s
          keepAliveTimeout: 2s
          idleTimeout: 30m
          requiredForReadiness: true
          balancer:
            slowStartWindow: 10s
            slowStartMinFactor: 0.1
            failureThreshold: 5
            baseEjection: 2s
            maxEjection: 30s
            maxEjectionShare: 0.5
            restoreWindow: 10s
            groupFallback: ungrouped
      """;

  private static Clients bind(String yaml) throws Exception {
    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    return new ConfigLoader(Map.of()).bind(tree, Clients.class);
  }

  @Test
  void bindsEveryKeyWithDurationsAndTheFallbackName() throws Exception {
    GrpcClientConfig c = bind(YAML).clients().get("user");
    assertThat(c.maxAttempts()).isEqualTo(2);
    assertThat(c.hedgingDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.requiredForReadiness()).isTrue();
    assertThat(
            bind(YAML.replace("requiredForReadiness: true", "requiredForReadiness: false"))
                .clients()
                .get("user")
                .requiredForReadiness())
        .isFalse();
    assertThat(c.balancer())
        .isEqualTo(
            new WeightedRoundRobinConfig(
                Duration.ofSeconds(10),
                0.1,
                5,
                Duration.ofSeconds(2),
                Duration.ofSeconds(30),
                0.5,
                Duration.ofSeconds(10),
                GroupFallback.UNGROUPED));
    assertThat(bind(YAML.replace("groupFallback: ungrouped", "groupFallback: fail")))
        .extracting(x -> x.clients().get("user").balancer().groupFallback())
        .isEqualTo(GroupFallback.FAIL);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "unknown balancer key",
            YAML.replace("failureThreshold: 5", "failureThreshold: 5\n      slowStart: 3s"),
            "unknown config key 'clients.user.balancer.slowStart'"),
        Arguments.of(
            "missing balancer key",
            YAML.replace("      restoreWindow: 10s\n", ""),
            "clients.user.balancer.restoreWindow: is required but missing"),
        Arguments.of(
            "threshold 0",
            YAML.replace("failureThreshold: 5", "failureThreshold: 0"),
            "clients.user.balancer.failureThreshold: must be between 1"),
        Arguments.of(
            "share above 1",
            YAML.replace("maxEjectionShare: 0.5", "maxEjectionShare: 1.5"),
            "clients.user.balancer.maxEjectionShare: must be between 0.0 and 1.0"),
        Arguments.of(
            "not a duration",
            YAML.replace("baseEjection: 2s", "baseEjection: soon"),
            "clients.user.balancer.baseEjection"),
        Arguments.of(
            "max ejection below base",
            YAML.replace("maxEjection: 30s", "maxEjection: 1s"),
            "clients.user.balancer.maxEjection: must be >= baseEjection"),
        Arguments.of(
            "unknown fallback",
            YAML.replace("groupFallback: ungrouped", "groupFallback: everywhere"),
            "clients.user.balancer.groupFallback"),
        Arguments.of(
            "one attempt",
            YAML.replace("maxAttempts: 2", "maxAttempts: 1"),
            "clients.user.maxAttempts: must be between 2 and 5"),
        Arguments.of(
            "keep-alive below gRPC's floor",
            YAML.replace("keepAliveTime: 10s", "keepAliveTime: 1s"),
            "clients.user.keepAliveTime: must be at least 10s"),
        Arguments.of(
            "negative hedging delay",
            YAML.replace("hedgingDelay: 50ms", "hedgingDelay: PT-1S"),
            "clients.user.hedgingDelay: must not be negative"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesInvalidConfigNamingTheKey(String name, String yaml, String message) {
    assertThatThrownBy(() -> bind(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
