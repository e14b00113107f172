package com.webook.interactive.repository;

import com.webook.interactive.domain.ReadBatch;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.interactive.repository.dao.ReadCountDao;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read counts (SPEC §6.4): a batch goes to the database in one transaction (counters and the
 * partitions' positions, {@link ReadCountDao}), then to the cache. The cache step is best effort
 * after the commit: a failing ({@code CacheException}) or slow Redis never fails the batch (the
 * database is the truth; a cached item missing an increment is reloaded when its TTL ends) but is
 * counted in {@code interactive.read.cache.failures} and logged at most once per 10 s. Thread-safe.
 */
public final class ReadCountRepository {
  private static final Logger log = LoggerFactory.getLogger(ReadCountRepository.class);

  /** What became of a batch. */
  public enum Outcome {
    /** Committed: counters and positions moved together. */
    APPLIED,
    /** A position had moved (another consumer owns the partition now): nothing changed. */
    FENCED
  }

  private final ReadCountDao dao;
  private final InteractiveCache cache;
  private final Clock clock;
  private final Counter cacheFailures;
  private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

  public ReadCountRepository(
      ReadCountDao dao, InteractiveCache cache, Clock clock, MeterRegistry metrics) {
    this.dao = dao;
    this.cache = cache;
    this.clock = clock;
    this.cacheFailures =
        Counter.builder("interactive.read.cache.failures")
            .description("read-count cache increments that failed after the batch was committed")
            .register(metrics);
  }

  /**
   * Applies {@code batch}: database first (exactly once or not at all), then the cache.
   *
   * @throws org.jooq.exception.DataAccessException when the database fails (nothing changed)
   */
  public Outcome apply(ReadBatch batch) {
    if (!dao.apply(batch, clock.millis())) {
      return Outcome.FENCED;
    }
    if (!batch.reads().isEmpty()) {
      try {
        cache.addReads(batch.biz(), batch.reads());
      } catch (RuntimeException e) { // CacheException, or a Lettuce surprise
        cacheFailures.increment();
        if (warnings.allow()) {
          log.warn(
              "read counts committed but not added to the cache (further such warnings suppressed"
                  + " for 10 s; see interactive_read_cache_failures_total): {}",
              e.toString());
        }
      }
    }
    return Outcome.APPLIED;
  }

  /** The stored positions of {@code partitions} of {@code topic}; never stored ones are absent. */
  public Map<Integer, Long> positions(String topic, Collection<Integer> partitions) {
    return dao.positions(topic, partitions);
  }
}
