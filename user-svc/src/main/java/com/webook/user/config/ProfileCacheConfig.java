package com.webook.user.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The profile cache (config key {@code cache}, SPEC §4.3).
 *
 * @param profileTtl how long a cached profile lives ({@code user:info:<id>}); bounds staleness
 *     should an invalidation be lost
 * @param bypassConcurrency how many profile reads per instance may go straight to the database
 *     while Redis fails; more at the same time are answered UNAVAILABLE instead of piling onto the
 *     database
 * @param keyNamespace prepended to every key (empty in production, so keys read {@code
 *     user:info:<id>}); lets tests and shared Redis servers keep their keys apart
 */
public record ProfileCacheConfig(Duration profileTtl, int bypassConcurrency, String keyNamespace) {
  public ProfileCacheConfig {
    Check.positive("profileTtl", profileTtl);
    if (profileTtl.toMillis() < 1000) {
      throw new IllegalArgumentException(
          "profileTtl: must be at least 1s (was " + profileTtl + ")");
    }
    Check.range("bypassConcurrency", bypassConcurrency, 1, 10_000);
    keyNamespace = keyNamespace == null ? "" : keyNamespace;
  }
}
