package com.webook.ranking.job;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * Which instance computes the hot list (SPEC §7.2): the holder of a Redis lock, taken only by the
 * lowest-loaded live instances. See {@link LoadAwareLeadership} and the README's "Leadership".
 *
 * @param lockKey the lock, {@code lock:ranking:topN}; the load sets are named after it ({@link
 *     #loadKey()}, {@link #seenKey()}), so tests with their own lock key share nothing
 * @param lockTtl the lock expires this long after its last renewal (how long a dead holder blocks
 *     the job); renewed at least three times per TTL
 * @param loadInterval how often each instance publishes its load; an instance not heard from for
 *     three intervals is dead
 * @param candidates how many of the lowest-loaded live instances may try to take the lock (1: only
 *     the lowest)
 * @param handoverLoad a holder whose load (0–100) is above this releases the lock after its run
 * @param loadFile a file holding the load as an integer, re-read every interval (tests, drills);
 *     empty: the process CPU
 */
public record LeadershipConfig(
    String lockKey,
    Duration lockTtl,
    Duration loadInterval,
    int candidates,
    int handoverLoad,
    String loadFile) {
  public LeadershipConfig {
    Check.notBlank("lockKey", lockKey);
    Check.positive("lockTtl", lockTtl);
    Check.positive("loadInterval", loadInterval);
    if (loadInterval.toMillis() < 1) {
      throw new IllegalArgumentException(
          "loadInterval: must be at least 1 ms (was " + loadInterval + ")");
    }
    if (lockTtl.toMillis() < 3) {
      throw new IllegalArgumentException(
          "lockTtl: must be at least 3 ms, it is renewed every third (was " + lockTtl + ")");
    }
    Check.range("candidates", candidates, 1, 1000);
    Check.range("handoverLoad", handoverLoad, 0, 100);
    loadFile = loadFile == null ? "" : loadFile.strip();
  }

  /** SPEC §7.2's values: {@code lock:ranking:topN}, 30 s, every 2 s, one candidate, 80, CPU. */
  public static LeadershipConfig defaults() {
    return new LeadershipConfig(
        "lock:ranking:topN", Duration.ofSeconds(30), Duration.ofSeconds(2), 1, 80, "");
  }

  /** The sorted set of loads: member instance id, score its load. */
  public String loadKey() {
    return lockKey + ":load";
  }

  /** The sorted set of liveness: member instance id, score when it last published (Redis ms). */
  public String seenKey() {
    return lockKey + ":load:seen";
  }

  /** An instance not heard from for this long is dead: three load intervals. */
  public Duration liveWindow() {
    return loadInterval.multipliedBy(3);
  }

  /**
   * How often the leadership loop runs: every load interval, or every third of the TTL when that is
   * shorter, so that a holder renews at least three times per TTL.
   */
  public Duration tickInterval() {
    Duration renew = lockTtl.dividedBy(3);
    return renew.compareTo(loadInterval) < 0 ? renew : loadInterval;
  }
}
