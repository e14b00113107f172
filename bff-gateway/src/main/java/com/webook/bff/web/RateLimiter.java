package com.webook.bff.web;

/**
 * Counts one request against {@code key}; true when it is over the limit. Throws when it cannot
 * decide (the caller chooses to fail open or closed). Production: the platform's {@code
 * RedisSlidingWindowLimiter}; tests may count in memory.
 */
@FunctionalInterface
public interface RateLimiter {
  boolean limited(String key);
}
