package com.webook.user.testing;

import com.webook.user.domain.CallerDeadline;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link CallerDeadline} the test controls: a caller that {@link #cancel() cancels} at the moment
 * the test chooses, and optionally a real deadline on the monotonic clock (as gRPC's). Thread-safe.
 */
public final class TestDeadline implements CallerDeadline {
  private final boolean bounded;
  private final long deadlineNanos;
  private volatile boolean cancelled;

  private TestDeadline(boolean bounded, long deadlineNanos) {
    this.bounded = bounded;
    this.deadlineNanos = deadlineNanos;
  }

  /** A caller without a deadline that may still cancel. */
  public static TestDeadline unbounded() {
    return new TestDeadline(false, 0);
  }

  /** A caller whose deadline is {@code timeout} from now (negative: already passed). */
  public static TestDeadline after(Duration timeout) {
    return new TestDeadline(true, System.nanoTime() + timeout.toNanos());
  }

  /** The caller goes away. */
  public void cancel() {
    cancelled = true;
  }

  @Override
  public boolean gaveUp() {
    return cancelled || (bounded && System.nanoTime() - deadlineNanos >= 0);
  }

  @Override
  public Optional<Duration> remaining() {
    return bounded
        ? Optional.of(Duration.ofNanos(deadlineNanos - System.nanoTime()))
        : Optional.empty();
  }
}
