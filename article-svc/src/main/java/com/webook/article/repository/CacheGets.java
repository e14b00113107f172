package com.webook.article.repository;

import com.webook.article.repository.cache.Cached;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code cache.gets{cache,result}}: lookups of one cache by outcome, registered once. */
final class CacheGets {
  private final String cache;
  private final Counter hit;
  private final Counter absent;
  private final Counter miss;
  private final Counter error;

  CacheGets(String cache, MeterRegistry metrics) {
    this.cache = cache;
    hit = counter(cache, "hit", metrics);
    absent = counter(cache, "absent", metrics);
    miss = counter(cache, "miss", metrics);
    error = counter(cache, "error", metrics);
  }

  String cache() {
    return cache;
  }

  void count(Cached<?> lookup) {
    switch (lookup) {
      case Cached.Hit<?> h -> hit.increment();
      case Cached.Absent<?> a -> absent.increment();
      case Cached.Miss<?> m -> miss.increment();
      case Cached.Unavailable<?> u -> error.increment();
    }
  }

  private static Counter counter(String cache, String result, MeterRegistry metrics) {
    return Counter.builder("cache.gets")
        .tag("cache", cache)
        .tag("result", result)
        .description("cache lookups by result (absent: a cached 'no such article')")
        .register(metrics);
  }
}
