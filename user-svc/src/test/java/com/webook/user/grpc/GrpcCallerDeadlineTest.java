package com.webook.user.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.user.domain.CallerDeadline;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gRPC Context, seen as the service layer's CallerDeadline. */
class GrpcCallerDeadlineTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void aCallWithoutDeadlineHasNoneAndHasNotGivenUp() {
    CallerDeadline d = GrpcCallerDeadline.of(Context.ROOT);

    assertThat(d.remaining()).isEmpty();
    assertThat(d.gaveUp()).isFalse();
  }

  @Test
  void theRemainingTimeIsTheContextsDeadline() {
    Context.CancellableContext ctx =
        Context.current().withDeadlineAfter(10, TimeUnit.MINUTES, timer);
    try {
      CallerDeadline d = GrpcCallerDeadline.of(ctx);

      assertThat(d.remaining())
          .hasValueSatisfying(
              left -> assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10)));
      assertThat(d.gaveUp()).isFalse();
    } finally {
      ctx.cancel(null);
    }
  }

  @Test
  void aCancelledCallGaveUp() {
    Context.CancellableContext ctx = Context.current().withCancellation();
    CallerDeadline d = GrpcCallerDeadline.of(ctx);

    ctx.cancel(null);

    assertThat(d.gaveUp()).isTrue();
  }

  @Test
  void aPassedDeadlineGaveUp() {
    Context.CancellableContext ctx =
        Context.current().withDeadlineAfter(-1, TimeUnit.MILLISECONDS, timer);
    try {
      CallerDeadline d = GrpcCallerDeadline.of(ctx);

      assertThat(d.gaveUp()).isTrue();
      assertThat(d.remaining())
          .hasValueSatisfying(left -> assertThat(left).isLessThanOrEqualTo(Duration.ZERO));
    } finally {
      ctx.cancel(null);
    }
  }

  @Test
  void aDeadlineThatPassedGaveUpBeforeItsTimerCancelsTheContext() {
    FakeTicker ticker = new FakeTicker();
    Deadline deadline = Deadline.after(1, TimeUnit.HOURS, ticker);
    // The context's timer is real time: it will not fire during the test.
    Context.CancellableContext ctx = Context.current().withDeadline(deadline, timer);
    try {
      CallerDeadline d = GrpcCallerDeadline.of(ctx);
      assertThat(d.gaveUp()).isFalse();

      ticker.advance(Duration.ofHours(2));

      assertThat(ctx.isCancelled()).as("the timer has not fired").isFalse();
      assertThat(d.gaveUp()).isTrue();
      assertThat(d.remaining()).hasValue(Duration.ofHours(-1));
    } finally {
      ctx.cancel(null);
    }
  }

  /** A Deadline ticker that moves only when told to. */
  private static final class FakeTicker extends Deadline.Ticker {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    void advance(Duration d) {
      nanos.addAndGet(d.toNanos());
    }
  }

  @Test
  void currentCapturesTheCallsContextForOtherThreads() throws Exception {
    Context.CancellableContext ctx = Context.current().withCancellation();
    CallerDeadline d = ctx.call(GrpcCallerDeadline::current);

    ctx.cancel(null);

    // Asked outside the context (another thread would be the same): still the call's answer.
    assertThat(Context.current().isCancelled()).isFalse();
    assertThat(d.gaveUp()).isTrue();
  }
}
