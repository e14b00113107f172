package com.webook.bff.web;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One value that is expensive to make (a call to another service, then rendering) and the same for
 * every request: made once, then remade in the background once it is older than {@code
 * refreshAfter} (Caffeine's {@code refreshAfterWrite}, a single entry). Reads never wait for a
 * remake and never make one themselves, but the very first read, which waits for the first value.
 *
 * <p>A remake that fails keeps the value it had ({@link Snapshot#stale()}) and is tried again
 * {@code refreshAfter} later, not on the next read: a dependency that is down is asked once per
 * interval, not once per request. A first make that fails is kept as a {@link Snapshot} without a
 * value for the same interval, so reads answer at once instead of each waiting for a call that is
 * likely to fail too. Nothing is ever thrown to the reader; what failed is in the snapshot.
 *
 * <p>Thread-safe. Makes run on {@code executor} (the first one on the first reader's thread); the
 * composition root owns the executor and shuts it down.
 */
public final class RefreshingCopy<T> {
  private static final String KEY = "the-one";

  /**
   * What a read gets.
   *
   * @param value the last value made, or null if none was ever made
   * @param madeAt when {@code value} was made (null without one)
   * @param failure why the last attempt failed, or null if it succeeded
   */
  public record Snapshot<T>(T value, Instant madeAt, RuntimeException failure) {
    /** A value is there, but the last attempt to remake it failed. */
    public boolean stale() {
      return value != null && failure != null;
    }
  }

  private final Supplier<T> make;
  private final Clock clock;
  private final LoadingCache<String, Snapshot<T>> cache;

  /**
   * @param make makes the value; may throw (the failure goes into the snapshot)
   * @param executor where the background remakes run
   */
  public RefreshingCopy(Supplier<T> make, Duration refreshAfter, Executor executor, Clock clock) {
    this.make = make;
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .refreshAfterWrite(refreshAfter)
            .executor(executor)
            .build(
                new CacheLoader<String, Snapshot<T>>() {
                  @Override
                  public Snapshot<T> load(String key) {
                    return attempt(null);
                  }

                  // Never throws: Caffeine would log each failure itself and, with no new write,
                  // start another refresh on the very next read.
                  @Override
                  public Snapshot<T> reload(String key, Snapshot<T> previous) {
                    return attempt(previous);
                  }
                });
  }

  /** The current snapshot; waits only for the very first make. */
  public Snapshot<T> current() {
    return cache.get(KEY);
  }

  /** The current snapshot if there is one, without making or remaking anything (for gauges). */
  public Optional<Snapshot<T>> peek() {
    return Optional.ofNullable(cache.policy().getIfPresentQuietly(KEY));
  }

  private Snapshot<T> attempt(Snapshot<T> previous) {
    try {
      T value = make.get();
      return new Snapshot<>(value, clock.instant(), null);
    } catch (RuntimeException e) {
      return previous == null
          ? new Snapshot<>(null, null, e)
          : new Snapshot<>(previous.value(), previous.madeAt(), e);
    }
  }
}
