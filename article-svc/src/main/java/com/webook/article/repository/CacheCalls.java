package com.webook.article.repository;

import com.webook.article.repository.cache.Cached;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * How a repository calls its caches and degrades when Redis fails: every failure is counted by
 * cache and operation ({@code cache.failures{cache,op}}), a warning is logged at most once per 10 s
 * per repository, and the database carries on. A failure after a committed write never fails the
 * write (SPEC §5.2). Thread-safe.
 */
final class CacheCalls {

  private final Logger log;
  private final MeterRegistry metrics;
  private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

  CacheCalls(Logger log, MeterRegistry metrics) {
    this.log = log;
    this.metrics = metrics;
  }

  /** A lookup, counted; a Redis failure is recorded and reads as {@link Cached.Unavailable}. */
  <T> Cached<T> lookup(CacheGets gets, Supplier<Cached<T>> get) {
    Cached<T> result;
    try {
      result = get.get();
    } catch (RuntimeException e) {
      record(gets.cache(), "get", e);
      result = new Cached.Unavailable<>();
    }
    gets.count(result);
    return result;
  }

  /** A cache write whose failure is recorded, not thrown. */
  void quietly(String cache, String op, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      record(cache, op, e);
    }
  }

  void record(String cache, String op, RuntimeException e) {
    Counter.builder("cache.failures")
        .tag("cache", cache)
        .tag("op", op)
        .description("cache operations that failed (Redis down or slow); the database answered")
        .register(metrics)
        .increment();
    if (warnings.allow()) {
      log.warn(
          "cache {} failing on {} ({}: {}); serving from the database",
          cache,
          op,
          e.getClass().getSimpleName(),
          e.getMessage());
    }
  }
}
