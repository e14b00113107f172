package com.webook.ranking.repository;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * Serving the list (config key {@code serving}, SPEC §7.3; README "Serving").
 *
 * @param keyPrefix prepended to the Redis keys of ranking ({@code ranking:topN}, the lock, the load
 *     sets); empty in production, tests isolate with it
 * @param localTtl a local copy older than this is refreshed from Redis on the next read (≤ the
 *     period, so other instances see a new list within one period)
 * @param redisTimeout one Redis read of the list
 * @param maxForceWait the longest {@code RankTopN} waits for its run
 */
public record ServingConfig(
    String keyPrefix, Duration localTtl, Duration redisTimeout, Duration maxForceWait) {
  public ServingConfig {
    Check.notNull("keyPrefix", keyPrefix);
    Check.positive("localTtl", localTtl);
    Check.positive("redisTimeout", redisTimeout);
    Check.positive("maxForceWait", maxForceWait);
  }
}
