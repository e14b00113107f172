package com.webook.user.grpc;

import com.webook.user.domain.CallerDeadline;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@link CallerDeadline} of a gRPC call: its {@link Context}'s deadline and cancellation. Made
 * by a handler on the call's own thread ({@link #current()}), the context is captured, so the value
 * stays right when the service layer hands work to another thread. Thread-safe.
 */
final class GrpcCallerDeadline implements CallerDeadline {
  private final Context context;

  private GrpcCallerDeadline(Context context) {
    this.context = context;
  }

  /** The deadline of the call this thread is serving. */
  static CallerDeadline current() {
    return of(Context.current());
  }

  static CallerDeadline of(Context context) {
    return new GrpcCallerDeadline(context);
  }

  @Override
  public boolean gaveUp() {
    // The context is cancelled when its deadline fires, but that runs on a timer thread: check the
    // deadline too, so the answer is right at the very moment it passes.
    Deadline deadline = context.getDeadline();
    return context.isCancelled() || (deadline != null && deadline.isExpired());
  }

  @Override
  public Optional<Duration> remaining() {
    Deadline deadline = context.getDeadline();
    return deadline == null
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)));
  }

  @Override
  public String toString() {
    Deadline deadline = context.getDeadline();
    return deadline == null ? "no deadline" : "deadline " + deadline;
  }
}
