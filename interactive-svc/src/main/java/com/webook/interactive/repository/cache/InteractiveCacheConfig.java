package com.webook.interactive.repository.cache;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * interactive-svc's counter cache (config key {@code cache}, SPEC §6.3).
 *
 * @param keyNamespace prepended to every key (empty in production, so keys read {@code
 *     interactive:<biz>:<id>}); lets tests sharing one Redis keep their keys apart
 * @param ttl how long a cached item lives after it was loaded (SPEC: 15 min). Increments do not
 *     extend it, so a cached value is at most this old before it is reloaded from the database.
 * @param timeout how long one cache step (a lookup, a pipeline) may take before the caller goes to
 *     the database or gives up on the increment; shorter than the Redis command timeout so a slow
 *     Redis costs reads little
 */
public record InteractiveCacheConfig(String keyNamespace, Duration ttl, Duration timeout) {
  public InteractiveCacheConfig {
    keyNamespace = keyNamespace == null ? "" : keyNamespace;
    Check.positive("ttl", ttl);
    Check.positive("timeout", timeout);
  }
}
