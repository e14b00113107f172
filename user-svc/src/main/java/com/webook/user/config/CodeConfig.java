package com.webook.user.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * One-time SMS codes (SPEC §4.4).
 *
 * @param templateId provider template of the code message; its only argument is the code
 * @param ttl how long a code stays valid (also the lifetime of its attempt counter)
 * @param resendInterval minimum time between two sends for one (biz, phone)
 * @param attempts wrong answers allowed before the code is locked
 */
public record CodeConfig(String templateId, Duration ttl, Duration resendInterval, int attempts) {
  public CodeConfig {
    Check.notBlank("templateId", templateId);
    if (templateId.length() > 128) {
      throw new IllegalArgumentException("templateId: must be at most 128 characters");
    }
    Check.positive("ttl", ttl);
    if (ttl.toSeconds() < 1 || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "ttl: must be a whole number of seconds (was " + ttl + ")");
    }
    Check.positive("resendInterval", resendInterval);
    if (resendInterval.compareTo(ttl) >= 0 || resendInterval.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          "resendInterval: must be whole seconds and shorter than ttl (was "
              + resendInterval
              + ")");
    }
    Check.range("attempts", attempts, 1, 100);
  }
}
