package com.webook.platform.balancer;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of {@code webook_weighted_round_robin}, parsed from the channel's service config ({@code
 * loadBalancingConfig: [{"webook_weighted_round_robin": {...}}]}); every field optional.
 *
 * @param slowStartWindow a new endpoint's weight ramps up over this period after its startTs (0 =
 *     off)
 * @param slowStartMinFactor the share of its weight a brand-new endpoint starts with
 * @param failureThreshold consecutive UNAVAILABLE/DEADLINE_EXCEEDED results that eject an endpoint
 * @param baseEjection first ejection period; doubles on each repeat, up to {@code maxEjection}
 * @param maxEjection longest ejection period
 * @param maxEjectionShare never eject more than this share of endpoints
 * @param restoreWindow after an ejection, the weight ramps from 10 % back to 100 % over this period
 */
public record WeightedRoundRobinConfig(
    Duration slowStartWindow,
    double slowStartMinFactor,
    int failureThreshold,
    Duration baseEjection,
    Duration maxEjection,
    double maxEjectionShare,
    Duration restoreWindow) {

  public static WeightedRoundRobinConfig defaults() {
    return new WeightedRoundRobinConfig(
        Duration.ofSeconds(10),
        0.1,
        5,
        Duration.ofSeconds(2),
        Duration.ofSeconds(30),
        0.5,
        Duration.ofSeconds(10));
  }

  /** Reads the JSON map gRPC hands over; absent keys take the defaults; bad values throw. */
  static WeightedRoundRobinConfig parse(Map<String, ?> raw) {
    WeightedRoundRobinConfig d = defaults();
    WeightedRoundRobinConfig c =
        new WeightedRoundRobinConfig(
            duration(raw, "slowStartWindow", d.slowStartWindow),
            number(raw, "slowStartMinFactor", d.slowStartMinFactor),
            (int) number(raw, "failureThreshold", d.failureThreshold),
            duration(raw, "baseEjection", d.baseEjection),
            duration(raw, "maxEjection", d.maxEjection),
            number(raw, "maxEjectionShare", d.maxEjectionShare),
            duration(raw, "restoreWindow", d.restoreWindow));
    if (c.slowStartMinFactor <= 0 || c.slowStartMinFactor > 1) {
      throw new IllegalArgumentException("slowStartMinFactor must be in (0, 1]");
    }
    if (c.failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold must be >= 1");
    }
    if (c.maxEjectionShare < 0 || c.maxEjectionShare > 1) {
      throw new IllegalArgumentException("maxEjectionShare must be in [0, 1]");
    }
    return c;
  }

  private static Duration duration(Map<String, ?> raw, String key, Duration fallback) {
    Object v = raw.get(key);
    if (v == null) {
      return fallback;
    }
    // gRPC's JSON durations are strings like "10s" or "0.5s".
    String s = v.toString().trim();
    if (!s.endsWith("s")) {
      throw new IllegalArgumentException(key + ": expected a duration like \"10s\", got " + s);
    }
    return Duration.ofNanos(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1e9));
  }

  private static double number(Map<String, ?> raw, String key, double fallback) {
    Object v = raw.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(key + ": expected a number, got " + v);
  }
}
