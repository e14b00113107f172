package com.webook.platform.config;

import java.time.Duration;

/**
 * Settings of the {@code webook_weighted_round_robin} balancer (SPEC §8.3), bound from a client's
 * {@code clients.<svc>.balancer} section and handed to the balancer through the channel's service
 * config (rendered and parsed by {@code balancer.WeightedRoundRobinServiceConfig}).
 *
 * <p>It lives in {@code config} with the other config records rather than in {@code balancer}:
 * {@link GrpcClientConfig} holds it, and {@code config → balancer} would close the cycle {@code
 * balancer → discovery → config}.
 *
 * @param slowStartWindow a new endpoint's weight ramps up over this period after its startTs (0 =
 *     off)
 * @param slowStartMinFactor the share of its weight a brand-new endpoint starts with, in (0, 1]
 * @param failureThreshold consecutive failed attempts (UNAVAILABLE, DEADLINE_EXCEEDED, or timed out
 *     as the balancer sees it) that eject an endpoint
 * @param baseEjection first ejection period; doubles on each repeat, up to {@code maxEjection}
 * @param maxEjection longest ejection period
 * @param maxEjectionShare never eject more than this share of the endpoints of one lane (group)
 * @param restoreWindow after an ejection, the weight ramps from 10 % back to 100 % over this period
 *     (0 = at once)
 * @param groupFallback where a call for a group with no registered endpoint goes
 */
public record WeightedRoundRobinConfig(
    Duration slowStartWindow,
    double slowStartMinFactor,
    int failureThreshold,
    Duration baseEjection,
    Duration maxEjection,
    double maxEjectionShare,
    Duration restoreWindow,
    GroupFallback groupFallback) {

  /** What a call carrying {@code x-route-group: g} does when no endpoint of g is registered. */
  public enum GroupFallback {
    /** Go to the endpoints without a group (Dubbo's tag routing default). */
    UNGROUPED,
    /** Fail UNAVAILABLE "no instances of &lt;svc&gt; in group g". */
    FAIL
  }

  public WeightedRoundRobinConfig {
    Check.notNegative("slowStartWindow", slowStartWindow);
    if (!(slowStartMinFactor > 0 && slowStartMinFactor <= 1)) {
      throw new IllegalArgumentException(
          "slowStartMinFactor: must be in (0, 1] (was " + slowStartMinFactor + ")");
    }
    Check.range("failureThreshold", failureThreshold, 1, 1_000_000);
    Check.positive("baseEjection", baseEjection);
    Check.positive("maxEjection", maxEjection);
    if (maxEjection.compareTo(baseEjection) < 0) {
      throw new IllegalArgumentException(
          "maxEjection: must be >= baseEjection (" + maxEjection + " < " + baseEjection + ")");
    }
    Check.range("maxEjectionShare", maxEjectionShare, 0.0, 1.0);
    Check.notNegative("restoreWindow", restoreWindow);
    Check.notNull("groupFallback", groupFallback);
  }

  /** The values used where nothing is configured. */
  public static WeightedRoundRobinConfig defaults() {
    return new WeightedRoundRobinConfig(
        Duration.ofSeconds(10),
        0.1,
        5,
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        0.5,
        Duration.ofSeconds(10),
        GroupFallback.UNGROUPED);
  }
}
