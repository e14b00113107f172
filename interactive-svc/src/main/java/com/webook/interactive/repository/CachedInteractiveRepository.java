package com.webook.interactive.repository;

import com.webook.interactive.domain.Counts;
import com.webook.interactive.domain.UserState;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.interactive.repository.dao.InteractiveDao;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counters cache-first, user state from the database (SPEC §6.2–6.3).
 *
 * <p>Writes go to the database, then — only when the counter really moved — to the cache's
 * "increment if cached". Reads take the cache, load misses from the database (absent rows are zero
 * counts, cached too, so the next increment finds its hash) and cache what they loaded. Redis
 * failing or slow never fails a call: a write that committed stays committed, a read goes to the
 * database. Each such failure is counted ({@code cache.failures{cache="interactive",op}}) and
 * logged at most once per 10 s; lookups are counted by result ({@code
 * cache.gets{cache="interactive",result=hit|miss|unavailable}}). Thread-safe.
 */
public final class CachedInteractiveRepository {
  private static final Logger log = LoggerFactory.getLogger(CachedInteractiveRepository.class);
  private static final String CACHE = "interactive";

  private final InteractiveDao dao;
  private final InteractiveCache cache;
  private final MeterRegistry metrics;
  private final Counter hits;
  private final Counter misses;
  private final Counter unavailable;
  private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

  public CachedInteractiveRepository(
      InteractiveDao dao, InteractiveCache cache, MeterRegistry metrics) {
    this.dao = dao;
    this.cache = cache;
    this.metrics = metrics;
    this.hits = gets(metrics, "hit");
    this.misses = gets(metrics, "miss");
    this.unavailable = gets(metrics, "unavailable");
  }

  public boolean like(String biz, long bizId, long uid, long nowMs) {
    boolean changed = dao.like(biz, bizId, uid, nowMs);
    if (changed) {
      quietly("incr_like", () -> cache.addLikes(biz, bizId, 1));
    }
    return changed;
  }

  public boolean cancelLike(String biz, long bizId, long uid, long nowMs) {
    boolean changed = dao.cancelLike(biz, bizId, uid, nowMs);
    if (changed) {
      quietly("incr_like", () -> cache.addLikes(biz, bizId, -1));
    }
    return changed;
  }

  public boolean collect(String biz, long bizId, long uid, long cid, long nowMs) {
    boolean changed = dao.collect(biz, bizId, uid, cid, nowMs);
    if (changed) {
      quietly("incr_collect", () -> cache.addCollects(biz, bizId, 1));
    }
    return changed;
  }

  public void addRead(String biz, long bizId, long nowMs) {
    dao.addRead(biz, bizId, nowMs);
    quietly("incr_read", () -> cache.addReads(biz, Map.of(bizId, 1L)));
  }

  /** One item's counters (zeros when none were ever counted). */
  public Counts counts(String biz, long bizId) {
    try {
      var cached = cache.get(biz, bizId);
      if (cached.isPresent()) {
        hits.increment();
        return cached.get();
      }
      misses.increment();
    } catch (RuntimeException e) {
      unavailable.increment();
      record("get", e);
    }
    Counts loaded = dao.counts(biz, bizId).orElse(Counts.ZERO);
    quietly("put", () -> cache.put(biz, bizId, loaded));
    return loaded;
  }

  /**
   * The counters of every id in {@code ids} (distinct), zeros for those never counted: one cache
   * pipeline, then one database query for the misses, then one pipeline caching them.
   */
  public Map<Long, Counts> counts(String biz, List<Long> ids) {
    Map<Long, Counts> found;
    try {
      found = cache.getAll(biz, ids);
      hits.increment(found.size());
      misses.increment(ids.size() - found.size());
    } catch (RuntimeException e) {
      unavailable.increment(ids.size());
      record("get", e);
      found = new java.util.HashMap<>();
    }
    if (found.size() == ids.size()) {
      return found;
    }
    List<Long> missing = new ArrayList<>(ids.size() - found.size());
    for (long id : ids) {
      if (!found.containsKey(id)) {
        missing.add(id);
      }
    }
    Map<Long, Counts> loaded = dao.counts(biz, missing);
    for (long id : missing) {
      loaded.putIfAbsent(id, Counts.ZERO);
    }
    quietly("put", () -> cache.putAll(biz, loaded));
    found.putAll(loaded);
    return found;
  }

  /** Whether {@code uid} likes and collected the item; never cached (SPEC §6.3). */
  public UserState userState(String biz, long bizId, long uid) {
    return dao.userState(biz, bizId, uid);
  }

  private void quietly(String op, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      record(op, e);
    }
  }

  private void record(String op, RuntimeException e) {
    Counter.builder("cache.failures")
        .tag("cache", CACHE)
        .tag("op", op)
        .description("cache operations that failed (Redis down or slow); the database answered")
        .register(metrics)
        .increment();
    if (warnings.allow()) {
      log.warn(
          "cache {} failing on {} ({}); serving from the database (further warnings suppressed"
              + " for 10 s; see cache_failures_total)",
          CACHE,
          op,
          e.getMessage());
    }
  }

  private static Counter gets(MeterRegistry metrics, String result) {
    return Counter.builder("cache.gets")
        .tag("cache", CACHE)
        .tag("result", result)
        .description("counter cache lookups by result (per item)")
        .register(metrics);
  }
}
