package com.webook.platform.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Capped exponential backoff with jitter: attempt {@code n} (1-based) waits a random time in {@code
 * [base/2, base]} where {@code base = min(max, initial * 2^(n-1))}. Half the base is fixed so that
 * waits still grow; the random half spreads the retries of many processes that failed at the same
 * moment (an etcd or Redis restart) so they do not come back in lockstep.
 *
 * <p>Immutable and thread-safe. The random source is injectable so tests can pin it.
 */
public final class Backoff {
  /**
   * How every process waits for a dependency that does not answer (etcd, MariaDB, Redis, Kafka at
   * start; etcd for registration and watches later): 200 ms doubling to 5 s. One value, so the
   * registrar, the discovery directory and the start budget retry alike.
   */
  public static final Backoff DEPENDENCY_RETRY =
      new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));

  private final long initialMillis;
  private final long maxMillis;
  private final LongUnaryOperator random;

  /**
   * @param initial the base of the first retry
   * @param max the largest base; later attempts stay here
   */
  public Backoff(Duration initial, Duration max) {
    this(initial, max, bound -> ThreadLocalRandom.current().nextLong(bound));
  }

  /**
   * For tests: {@code random.applyAsLong(bound)} must return a value in {@code [0, bound)}.
   *
   * @param initial the base of the first retry
   * @param max the largest base
   * @param random the jitter source
   */
  public Backoff(Duration initial, Duration max, LongUnaryOperator random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initialMillis = initial.toMillis();
    this.maxMillis = max.toMillis();
    this.random = random;
  }

  /** The wait before retry number {@code attempt} (1 = the first retry after one failure). */
  public Duration delay(int attempt) {
    long base = base(attempt);
    return Duration.ofMillis(base / 2 + random.applyAsLong(base / 2 + 1));
  }

  /** The base (upper bound) of the wait before retry number {@code attempt}. */
  public long base(int attempt) {
    int shift = Math.min(Math.max(attempt, 1) - 1, 30);
    long base = initialMillis << shift;
    return base <= 0 || base > maxMillis ? maxMillis : base;
  }
}
