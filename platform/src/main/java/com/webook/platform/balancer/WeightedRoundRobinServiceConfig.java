package com.webook.platform.balancer;

import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.config.WeightedRoundRobinConfig.GroupFallback;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@link WeightedRoundRobinConfig} as gRPC's service config carries it ({@code loadBalancingConfig:
 * [{"webook_weighted_round_robin": {...}}]}): durations as JSON duration strings ({@code "2.5s"}),
 * numbers as doubles, the fallback as a lower-case name. {@code client.GrpcChannels} renders it,
 * the provider parses it back; one place knows both directions.
 *
 * <p>Parsing is strict about what is there (unknown keys and bad values are errors) and lenient
 * about what is not (absent keys take {@link WeightedRoundRobinConfig#defaults()}), as gRPC service
 * configs are written by hand too.
 */
public final class WeightedRoundRobinServiceConfig {
  private static final Set<String> KEYS =
      Set.of(
          "slowStartWindow",
          "slowStartMinFactor",
          "failureThreshold",
          "baseEjection",
          "maxEjection",
          "maxEjectionShare",
          "restoreWindow",
          "groupFallback");

  private WeightedRoundRobinServiceConfig() {}

  /** The JSON-ish map gRPC expects for this policy. */
  public static Map<String, Object> render(WeightedRoundRobinConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("slowStartWindow", duration(c.slowStartWindow()));
    m.put("slowStartMinFactor", c.slowStartMinFactor());
    m.put("failureThreshold", (double) c.failureThreshold());
    m.put("baseEjection", duration(c.baseEjection()));
    m.put("maxEjection", duration(c.maxEjection()));
    m.put("maxEjectionShare", c.maxEjectionShare());
    m.put("restoreWindow", duration(c.restoreWindow()));
    m.put("groupFallback", c.groupFallback().name().toLowerCase(Locale.ROOT));
    return m;
  }

  /** Reads the map gRPC hands over; throws IllegalArgumentException naming the bad key. */
  static WeightedRoundRobinConfig parse(Map<String, ?> raw) {
    for (String key : raw.keySet()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "' (known: " + KEYS + ")");
      }
    }
    WeightedRoundRobinConfig d = WeightedRoundRobinConfig.defaults();
    return new WeightedRoundRobinConfig(
        duration(raw, "slowStartWindow", d.slowStartWindow()),
        number(raw, "slowStartMinFactor", d.slowStartMinFactor()),
        integer(raw, "failureThreshold", d.failureThreshold()),
        duration(raw, "baseEjection", d.baseEjection()),
        duration(raw, "maxEjection", d.maxEjection()),
        number(raw, "maxEjectionShare", d.maxEjectionShare()),
        duration(raw, "restoreWindow", d.restoreWindow()),
        fallback(raw, d.groupFallback()));
  }

  /** gRPC's JSON duration: seconds with up to nine decimals and an "s". */
  static String duration(Duration d) {
    return BigDecimal.valueOf(d.getSeconds())
            .add(BigDecimal.valueOf(d.getNano(), 9))
            .stripTrailingZeros()
            .toPlainString()
        + "s";
  }

  private static Duration duration(Map<String, ?> raw, String key, Duration fallback) {
    Object v = raw.get(key);
    if (v == null) {
      return fallback;
    }
    String s = v.toString().trim();
    try {
      if (!s.endsWith("s")) {
        throw new NumberFormatException();
      }
      BigDecimal seconds = new BigDecimal(s.substring(0, s.length() - 1));
      return Duration.ofSeconds(
          seconds.longValue(), seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          key + ": expected a duration like \"10s\" or \"0.25s\", got " + s, e);
    }
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

  private static int integer(Map<String, ?> raw, String key, int fallback) {
    double d = number(raw, key, fallback);
    if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + ": expected a whole number, got " + d);
    }
    return (int) d;
  }

  private static GroupFallback fallback(Map<String, ?> raw, GroupFallback fallback) {
    Object v = raw.get("groupFallback");
    if (v == null) {
      return fallback;
    }
    try {
      return GroupFallback.valueOf(v.toString().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "groupFallback: expected \"ungrouped\" or \"fail\", got " + v, e);
    }
  }
}
