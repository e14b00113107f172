package com.webook.platform.logging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most one log line per interval for a condition that can repeat on every request (a failing
 * cache, a broker that is down): the first occurrence is logged at once, the next ones only after
 * the interval. The occurrences themselves are always counted in a metric by the caller, so nothing
 * fails silently; the log just does not drown. Thread-safe (one CAS per allowed line).
 */
public final class LogThrottle {
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong last;

  /** One line per {@code interval}, on the JVM's monotonic clock. */
  public LogThrottle(Duration interval) {
    this(interval, System::nanoTime);
  }

  /** For tests: {@code nanoTime} stands in for {@link System#nanoTime()}. */
  public LogThrottle(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.last = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
  }

  /** Whether the caller may log now; true for exactly one caller per interval. */
  public boolean allow() {
    long now = nanoTime.getAsLong();
    long previous = last.get();
    return now - previous >= intervalNanos && last.compareAndSet(previous, now);
  }
}
