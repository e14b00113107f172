package com.webook.user.repository;

import com.webook.platform.cache.SingleFlight;
import com.webook.platform.errors.UnavailableException;
import com.webook.platform.logging.LogThrottle;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.UserCredentials;
import com.webook.user.repository.cache.UserCache;
import com.webook.user.repository.dao.UserDao;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users in MariaDB with the profile cache in front (SPEC §4.3), cache-aside:
 *
 * <ul>
 *   <li><b>Read</b>: Redis first; the database only on a <em>miss</em>, and concurrent misses for
 *       one id share one database load (per-instance single-flight); the loaded profile is written
 *       back with the TTL.
 *   <li><b>Redis fails</b>: the read goes to the database, but only while fewer than {@code
 *       bypassConcurrency} such reads run on this instance; beyond that the caller gets {@link
 *       UnavailableException} instead of a database stampede. No write-back is attempted (Redis is
 *       failing; a write would only add its timeout).
 *   <li><b>Update</b>: database first, then delete the key, so the next read loads the new row.
 *   <li>A cache write or delete that fails <em>after</em> the database did its part never fails the
 *       call: it is logged and counted ({@code cache.write.failures}); the TTL bounds the staleness
 *       a lost delete can cause.
 * </ul>
 *
 * Lookups by email, phone and openId go to the database: they are login paths, not hot reads.
 *
 * <p>Known window (inherent to cache-aside, documented in the README): a load that read the old row
 * before an update committed may write it back after the update deleted the key; the TTL bounds
 * that staleness.
 *
 * <p>Thread-safe.
 */
public final class CachedUserRepository implements UserRepository {
  private static final Logger log = LoggerFactory.getLogger(CachedUserRepository.class);
  private static final String CACHE = "user_info";

  private final UserDao dao;
  private final UserCache cache;
  private final int bypassConcurrency;
  private final Semaphore bypassPermits;
  private final SingleFlight<Long, Optional<User>> loads = new SingleFlight<>();
  private final LogThrottle cacheWarnings = new LogThrottle(Duration.ofSeconds(10));

  private final Counter hits;
  private final Counter misses;
  private final Counter cacheErrors;
  private final Counter dbLoads;
  private final Counter sharedLoads;
  private final Counter bypassRejections;
  private final Counter setFailures;
  private final Counter deleteFailures;

  public CachedUserRepository(
      UserDao dao, UserCache cache, int bypassConcurrency, MeterRegistry metrics) {
    this.dao = dao;
    this.cache = cache;
    this.bypassConcurrency = bypassConcurrency;
    this.bypassPermits = new Semaphore(bypassConcurrency);
    this.hits = gets(metrics, "hit");
    this.misses = gets(metrics, "miss");
    this.cacheErrors = gets(metrics, "error");
    this.dbLoads =
        Counter.builder("cache.db.loads")
            .tag("cache", CACHE)
            .description("database queries made because of cache misses or cache errors")
            .register(metrics);
    this.sharedLoads =
        Counter.builder("cache.load.shared")
            .tag("cache", CACHE)
            .description(
                "reads that waited for another caller's load of the same key (single-flight)")
            .register(metrics);
    this.bypassRejections =
        Counter.builder("cache.bypass.rejections")
            .tag("cache", CACHE)
            .description("reads refused because too many already bypass a failing cache")
            .register(metrics);
    this.setFailures = writeFailures(metrics, "set");
    this.deleteFailures = writeFailures(metrics, "delete");
    Gauge.builder("cache.load.waiting", loads, SingleFlight::waiting)
        .tag("cache", CACHE)
        .description("reads waiting right now for another caller's load of the same key")
        .register(metrics);
    Gauge.builder(
            "cache.bypass.in_use", bypassPermits, s -> bypassConcurrency - s.availablePermits())
        .tag("cache", CACHE)
        .description("reads currently bypassing a failing cache")
        .register(metrics);
  }

  @Override
  public long create(NewUser user) {
    return dao.insert(user);
  }

  @Override
  public Optional<UserCredentials> findCredentialsByEmail(String email) {
    return dao.findByEmail(email);
  }

  @Override
  public Optional<User> findById(long id) {
    Optional<User> cached;
    try {
      cached = cache.get(id);
    } catch (RuntimeException e) {
      cacheErrors.increment();
      return bypassingCache(e, () -> load(id, false));
    }
    if (cached.isPresent()) {
      hits.increment();
      return cached;
    }
    misses.increment();
    return load(id, true);
  }

  @Override
  public Map<Long, User> findByIds(Collection<Long> ids) {
    Set<Long> wanted = new LinkedHashSet<>(ids);
    Map<Long, User> hitsById;
    try {
      hitsById = cache.getAll(wanted);
    } catch (RuntimeException e) {
      cacheErrors.increment(wanted.size());
      return bypassingCache(
          e,
          () -> {
            dbLoads.increment();
            return dao.findByIds(wanted);
          });
    }
    hits.increment(hitsById.size());
    List<Long> missing = new ArrayList<>();
    for (Long id : wanted) {
      if (!hitsById.containsKey(id)) {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return hitsById;
    }
    misses.increment(missing.size());
    dbLoads.increment();
    Map<Long, User> loaded = dao.findByIds(missing);
    try {
      cache.setAll(loaded.values());
    } catch (RuntimeException e) {
      setFailures.increment();
      log.warn("profile cache write-back of {} profiles failed ({})", loaded.size(), describe(e));
    }
    hitsById.putAll(loaded);
    return hitsById;
  }

  @Override
  public Optional<User> findByPhone(String phone) {
    return dao.findByPhone(phone);
  }

  @Override
  public Optional<User> findByWechatOpenId(String openId) {
    return dao.findByWechatOpenId(openId);
  }

  @Override
  public boolean updateNonSensitive(
      long id, String nickname, Instant birthday, String aboutMe, Instant utime) {
    boolean updated = dao.updateNonSensitive(id, nickname, birthday, aboutMe, utime);
    if (updated) {
      try {
        cache.delete(id);
      } catch (RuntimeException e) {
        // The update is committed; failing the call now would make the caller retry a done
        // change. The stale entry lives at most one TTL.
        deleteFailures.increment();
        log.warn(
            "profile cache delete of user {} failed after its update; stale for at most the TTL ({})",
            id,
            describe(e));
      }
    }
    return updated;
  }

  /**
   * Loads one id from the database, sharing the load with every concurrent caller for the same id.
   * The leader writes the result back (when asked to) before it leaves the flight, so a caller
   * arriving after that finds the cache filled.
   */
  private Optional<User> load(long id, boolean writeBack) {
    SingleFlight.Loaded<Optional<User>> loaded =
        loads.load(
            id,
            () -> {
              dbLoads.increment();
              Optional<User> user = dao.findById(id);
              if (writeBack && user.isPresent()) {
                try {
                  cache.set(user.get());
                } catch (RuntimeException e) {
                  setFailures.increment();
                  log.warn("profile cache write-back of user {} failed ({})", id, describe(e));
                }
              }
              return user;
            });
    if (loaded.role() == SingleFlight.Role.FOLLOWER) {
      sharedLoads.increment();
    }
    return loaded.value();
  }

  private <T> T bypassingCache(RuntimeException cause, Supplier<T> databaseRead) {
    warnThrottled(cause);
    if (!bypassPermits.tryAcquire()) {
      bypassRejections.increment();
      throw new UnavailableException("profile storage is overloaded, retry later");
    }
    try {
      return databaseRead.get();
    } finally {
      bypassPermits.release();
    }
  }

  /**
   * One warning per 10 s while Redis fails; every error is counted in {@code
   * cache.gets{result=error}}.
   */
  private void warnThrottled(RuntimeException e) {
    if (cacheWarnings.allow()) {
      log.warn(
          "profile cache failing, reading the database instead (at most {} reads at a time): {}",
          bypassConcurrency,
          describe(e));
    }
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static Counter gets(MeterRegistry metrics, String result) {
    return Counter.builder("cache.gets")
        .tag("cache", CACHE)
        .tag("result", result)
        .description("profile cache lookups by result")
        .register(metrics);
  }

  private static Counter writeFailures(MeterRegistry metrics, String op) {
    return Counter.builder("cache.write.failures")
        .tag("cache", CACHE)
        .tag("op", op)
        .description("cache writes that failed after the database succeeded (skipped on purpose)")
        .register(metrics);
  }
}
