package com.webook.ranking.repository;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.webook.platform.errors.UnavailableException;
import com.webook.platform.logging.LogThrottle;
import com.webook.ranking.domain.HotList;
import com.webook.ranking.repository.cache.HotListCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serving the hot list (SPEC §7.3): a local copy (Caffeine, one entry) in front of Redis {@code
 * ranking:topN}. Reads never wait for Redis once the copy is loaded: a copy older than {@code
 * localTtl} is refreshed in the background on the next read, which still answers the copy it has; a
 * refresh that fails (Redis down) keeps the old copy — the "stale local copy" — logged (throttled)
 * and counted. There is no expiry, only refresh, so an instance never loses a list it had. Only the
 * very first load can fail a read (UNAVAILABLE), and readiness waits for it.
 *
 * <p>Publishing (the leader, after a run) writes Redis through the lock's fence first and only then
 * the local copy: the spec's "local then Redis" order would let a run that lost its lock serve its
 * list locally. If Redis fails on publish, the local copy is still replaced — the run is the newest
 * this instance knows — and the next run stores its list in Redis. Thread-safe.
 */
public final class HotListRepository {
  private static final Logger log = LoggerFactory.getLogger(HotListRepository.class);
  private static final String ONLY = "topN";

  private final HotListCache redis;
  private final LoadingCache<String, HotList> local;
  private final Counter staleServed;
  private final Counter refreshed;
  private final LogThrottle staleLog = new LogThrottle(Duration.ofSeconds(30));

  public HotListRepository(
      HotListCache redis, Duration localTtl, Executor refreshes, MeterRegistry metrics) {
    this.redis = redis;
    this.staleServed =
        Counter.builder("ranking.topn.stale.refreshes")
            .description("Refreshes of the local hot list that failed, so the old copy is served")
            .register(metrics);
    this.refreshed =
        Counter.builder("ranking.topn.refreshes")
            .description("Loads of the hot list from Redis into the local copy")
            .register(metrics);
    this.local =
        Caffeine.newBuilder()
            .refreshAfterWrite(localTtl)
            .executor(refreshes)
            .build(
                new CacheLoader<>() {
                  @Override
                  public HotList load(String key) {
                    HotList list = redis.load();
                    refreshed.increment();
                    return list;
                  }

                  @Override
                  public HotList reload(String key, HotList old) {
                    try {
                      return load(key);
                    } catch (RuntimeException e) {
                      staleServed.increment();
                      if (staleLog.allow()) {
                        log.warn(
                            "cannot refresh the hot list from Redis ({}); serving the local copy"
                                + " computed at {}",
                            e.getMessage(),
                            old.computedAt());
                      }
                      return old;
                    }
                  }
                });
  }

  /** The current list ({@link HotList#NONE} if none was ever computed). */
  public HotList current() {
    try {
      return local.get(ONLY);
    } catch (CompletionException | IllegalStateException | IllegalArgumentException e) {
      throw new UnavailableException("the hot list is not loaded yet and Redis fails", e);
    }
  }

  /** Whether a list, or the knowledge that none exists yet, has been loaded. */
  public boolean loaded() {
    if (local.getIfPresent(ONLY) != null) {
      return true;
    }
    local.refresh(ONLY); // in the background; the next probe sees it
    return false;
  }

  /** How a publication went. */
  public enum Published {
    /** Stored in Redis and locally. */
    STORED,
    /** The fence said no (the lock is someone else's): nothing written anywhere. */
    FENCED,
    /** Redis failed: only the local copy has it. */
    LOCAL_ONLY
  }

  public Published publish(HotList list, HotListCache.FencedWrite fence) {
    boolean stored;
    try {
      stored = redis.store(list, fence);
    } catch (RuntimeException e) {
      log.warn(
          "cannot store the hot list in Redis ({}); only this instance serves it", e.toString());
      local.put(ONLY, list);
      return Published.LOCAL_ONLY;
    }
    if (!stored) {
      return Published.FENCED;
    }
    local.put(ONLY, list);
    return Published.STORED;
  }
}
