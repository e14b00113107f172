package com.webook.platform.config;

import java.time.Duration;
import java.util.Collection;

/**
 * Validation helpers for config records' compact constructors. They throw {@link
 * IllegalArgumentException} naming the record component; {@link ConfigLoader} prefixes the path of
 * the enclosing section, so the final message reads {@code grpc.port: must be ...}.
 */
public final class Check {
  private Check() {}

  public static <T> T notNull(String key, T value) {
    if (value == null) {
      throw new IllegalArgumentException(key + ": is required");
    }
    return value;
  }

  public static String notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + ": must not be empty");
    }
    return value;
  }

  public static int port(String key, int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(
          key + ": must be a port between 1 and 65535 (was " + value + ")");
    }
    return value;
  }

  public static int range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + ": must be between " + min + " and " + max + " (was " + value + ")");
    }
    return value;
  }

  public static double range(String key, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          key + ": must be between " + min + " and " + max + " (was " + value + ")");
    }
    return value;
  }

  public static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + ": must be > 0 (was " + value + ")");
    }
    return value;
  }

  public static Duration positive(String key, Duration value) {
    notNull(key, value);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + ": must be a positive duration (was " + value + ")");
    }
    return value;
  }

  public static Duration notNegative(String key, Duration value) {
    notNull(key, value);
    if (value.isNegative()) {
      throw new IllegalArgumentException(key + ": must not be negative (was " + value + ")");
    }
    return value;
  }

  public static <C extends Collection<?>> C notEmpty(String key, C value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(key + ": must list at least one value");
    }
    return value;
  }
}
