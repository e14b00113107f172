package com.webook.platform.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.config.WeightedRoundRobinConfig.GroupFallback;
import io.grpc.NameResolver.ConfigOrError;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed config travels through gRPC's service config and comes back the same. */
class WeightedRoundRobinServiceConfigTest {
  private final SmoothWeightedRoundRobinLoadBalancerProvider provider =
      new SmoothWeightedRoundRobinLoadBalancerProvider();

  @Test
  void renderedConfigParsesBackToTheSameRecord() {
    WeightedRoundRobinConfig c =
        new WeightedRoundRobinConfig(
            Duration.ofMillis(2500),
            0.25,
            7,
            Duration.ofMillis(300),
            Duration.ofSeconds(45),
            0.34,
            Duration.ZERO,
            GroupFallback.FAIL);
    Map<String, Object> rendered = WeightedRoundRobinServiceConfig.render(c);
    assertThat(rendered)
        .containsEntry("slowStartWindow", "2.5s")
        .containsEntry("baseEjection", "0.3s")
        .containsEntry("restoreWindow", "0s")
        .containsEntry("groupFallback", "fail");
    ConfigOrError parsed = provider.parseLoadBalancingPolicyConfig(rendered);
    assertThat(parsed.getError()).isNull();
    assertThat(parsed.getConfig()).isEqualTo(c);
  }

  @Test
  void absentKeysTakeTheDefaultsAndBadOnesAreRefused() {
    assertThat(provider.parseLoadBalancingPolicyConfig(Map.of()).getConfig())
        .isEqualTo(WeightedRoundRobinConfig.defaults());
    assertThat(provider.parseLoadBalancingPolicyConfig(Map.of("slowStart", "1s")).getError())
        .satisfies(e -> assertThat(e.getDescription()).contains("unknown key 'slowStart'"));
    assertThat(provider.parseLoadBalancingPolicyConfig(Map.of("failureThreshold", 2.5)).getError())
        .satisfies(e -> assertThat(e.getDescription()).contains("failureThreshold"));
    assertThat(provider.parseLoadBalancingPolicyConfig(Map.of("baseEjection", "2")).getError())
        .satisfies(e -> assertThat(e.getDescription()).contains("baseEjection"));
  }
}
