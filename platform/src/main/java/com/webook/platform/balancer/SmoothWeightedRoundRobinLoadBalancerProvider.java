package com.webook.platform.balancer;

import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver.ConfigOrError;
import io.grpc.Status;
import java.util.Map;

/**
 * Registers {@code webook_weighted_round_robin} (through {@code META-INF/services}) so channels
 * select it by service config: {@code
 * {"loadBalancingConfig":[{"webook_weighted_round_robin":{...}}]}}, the settings being a {@link
 * com.webook.platform.config.WeightedRoundRobinConfig} as {@link WeightedRoundRobinServiceConfig}
 * renders it.
 */
public final class SmoothWeightedRoundRobinLoadBalancerProvider extends LoadBalancerProvider {
  public static final String POLICY_NAME = "webook_weighted_round_robin";

  @Override
  public boolean isAvailable() {
    return true;
  }

  @Override
  public int getPriority() {
    return 5;
  }

  @Override
  public String getPolicyName() {
    return POLICY_NAME;
  }

  @Override
  public LoadBalancer newLoadBalancer(LoadBalancer.Helper helper) {
    return new SmoothWeightedRoundRobinLoadBalancer(helper, System::currentTimeMillis);
  }

  @Override
  public ConfigOrError parseLoadBalancingPolicyConfig(Map<String, ?> rawConfig) {
    try {
      return ConfigOrError.fromConfig(WeightedRoundRobinServiceConfig.parse(rawConfig));
    } catch (RuntimeException e) {
      return ConfigOrError.fromError(
          Status.UNAVAILABLE.withDescription(POLICY_NAME + " config: " + e.getMessage()));
    }
  }
}
