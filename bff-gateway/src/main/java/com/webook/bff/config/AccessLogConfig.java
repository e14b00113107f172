package com.webook.bff.config;

/**
 * The access log (SPEC §10): one line per request, always; bodies and a few headers only when
 * {@code bodies} is on, secrets masked, each body cut at {@code maxBodyBytes}.
 */
public record AccessLogConfig(boolean bodies, int maxBodyBytes) {
  public AccessLogConfig {
    if (maxBodyBytes < 0) {
      throw new IllegalArgumentException(
          "maxBodyBytes: must not be negative (was " + maxBodyBytes + ")");
    }
  }
}
