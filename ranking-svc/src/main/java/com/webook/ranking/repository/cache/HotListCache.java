package com.webook.ranking.repository.cache;

import com.webook.ranking.domain.HotList;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The shared copy of the hot list: Redis key {@code ranking:topN} (SPEC §7.3), JSON, no expiry —
 * the last good list outlives any outage of the sources. Written only through a {@link FencedWrite}
 * (the leader's lock), read by every instance. Redis failures propagate (Lettuce exceptions);
 * callers decide. Thread-safe.
 */
public final class HotListCache {
  public static final String KEY = "ranking:topN";

  private final StatefulRedisConnection<String, String> redis;
  private final String key;
  private final Duration timeout;
  private final HotListJson json = new HotListJson();

  /**
   * @param keyPrefix prepended to {@code ranking:topN} (empty in production; tests isolate with it)
   */
  public HotListCache(
      StatefulRedisConnection<String, String> redis, String keyPrefix, Duration timeout) {
    this.redis = redis;
    this.key = keyPrefix + KEY;
    this.timeout = timeout;
  }

  public String key() {
    return key;
  }

  /** The stored list, or {@link HotList#NONE} when none was ever stored. */
  public HotList load() {
    String value;
    try {
      value = redis.async().get(key).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + key, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("reading " + key + " failed: " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "reading " + key + " timed out after " + timeout.toMillis() + " ms", e);
    }
    return value == null ? HotList.NONE : json.read(value);
  }

  /** Stores {@code list} if {@code fence} still allows it; false: fenced off, nothing written. */
  public boolean store(HotList list, FencedWrite fence) {
    return fence.setIfHeld(key, json.write(list));
  }

  /** A write that happens only while its writer still holds the right to write (the lock). */
  @FunctionalInterface
  public interface FencedWrite {
    boolean setIfHeld(String key, String value);
  }
}
