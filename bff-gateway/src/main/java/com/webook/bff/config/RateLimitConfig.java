package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The per-client-IP limit (SPEC §9): at most {@code limit} requests per {@code window} and IP,
 * shared by every BFF instance through Redis ({@code ip-limiter:<ip>}).
 *
 * @param limit requests allowed per window (100)
 * @param window sliding window (1s)
 * @param allowOnError what to do when the limiter itself fails (Redis down): true lets the request
 *     through (availability first; counted in {@code bff_ratelimit_errors_total}), false answers
 *     429
 */
public record RateLimitConfig(int limit, Duration window, boolean allowOnError) {
  public RateLimitConfig {
    Check.positive("limit", limit);
    Check.positive("window", window);
    if (window.toMillis() < 1) {
      throw new IllegalArgumentException("window: must be at least 1ms");
    }
  }
}
