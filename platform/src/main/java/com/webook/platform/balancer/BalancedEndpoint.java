package com.webook.platform.balancer;

import com.webook.platform.config.WeightedRoundRobinConfig;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One endpoint as the balancer sees it: its subchannel, registry data, connectivity, smooth WRR
 * current weight and passive-health state. It outlives pickers, so all of that survives picker
 * rebuilds when other endpoints come and go.
 *
 * <p>Threading: registry data, connectivity, ejection state and the current weight are touched only
 * in the channel's synchronization context (pickers read and write the current weight only when
 * they are built and retired, which happens there); the failure and attempt counters are atomic
 * (updated from transport threads).
 */
final class BalancedEndpoint {
  final Subchannel subchannel;

  /** Cached so that a pick allocates nothing. */
  final PickResult pickResult;

  final AtomicInteger consecutiveFailures = new AtomicInteger();

  /** Attempts started on this endpoint (counted when gRPC creates the stream, not per pick). */
  final LongAdder attempts = new LongAdder();

  /** Read by transport threads when counting failures; written in the synchronization context. */
  volatile int failureThreshold;

  // Synchronization context.
  String instanceId = "";
  int weight = 1;
  String group = "";
  long startTs;
  boolean held;
  ConnectivityState state = ConnectivityState.IDLE;

  /** Sticky TRANSIENT_FAILURE: a failed endpoint counts as failing, not connecting, until READY. */
  boolean failedSinceReady;

  Status lastFailure = Status.OK;
  boolean ejected;
  long ejectedUntil;
  int ejections;
  long lastEjectionAt;
  long restoreStart;

  /** nginx's current weight, carried from one picker to the next. */
  long currentWeight;

  BalancedEndpoint(
      Subchannel subchannel, int failureThreshold, Consumer<BalancedEndpoint> onFailureThreshold) {
    this.subchannel = subchannel;
    this.failureThreshold = failureThreshold;
    this.pickResult =
        PickResult.withSubchannel(subchannel, new OutcomeTracerFactory(this, onFailureThreshold));
  }

  /**
   * The weight the sequences use now: the registry weight, scaled down while the endpoint warms up
   * after start (slow start) and while it recovers from an ejection. Never below 1.
   */
  int effectiveWeight(long nowMillis, WeightedRoundRobinConfig config) {
    double factor = 1.0;
    long warm = config.slowStartWindow().toMillis();
    if (warm > 0 && startTs > 0 && nowMillis - startTs < warm) {
      factor =
          Math.max(config.slowStartMinFactor(), Math.max(0, nowMillis - startTs) / (double) warm);
    }
    long restore = config.restoreWindow().toMillis();
    if (restoreStart > 0 && restore > 0 && nowMillis - restoreStart < restore) {
      factor = Math.min(factor, Math.max(0.1, (nowMillis - restoreStart) / (double) restore));
    }
    return Math.max(1, (int) Math.round(weight * factor));
  }

  boolean isRamping(long nowMillis, WeightedRoundRobinConfig config) {
    return (startTs > 0 && nowMillis - startTs < config.slowStartWindow().toMillis())
        || (restoreStart > 0 && nowMillis - restoreStart < config.restoreWindow().toMillis());
  }

  boolean isUsable(long nowMillis) {
    return state == ConnectivityState.READY && !(ejected && nowMillis < ejectedUntil);
  }

  /** Not usable yet, but on its way: calls for its lane should wait for it rather than fail. */
  boolean isConnecting() {
    return !failedSinceReady
        && (state == ConnectivityState.CONNECTING || state == ConnectivityState.IDLE);
  }

  /** What one attempt's end says about its endpoint. */
  enum Outcome {
    /** It answered (whatever the status): the endpoint is alive. */
    ALIVE,
    /** It could not be reached, or did not answer in time. */
    FAILED,
    /** Says nothing about the endpoint (the caller gave up, or another hedge won quickly). */
    NEUTRAL
  }

  /**
   * Classifies an attempt's final status as a real retrying channel reports it. With retries or
   * hedging enabled, gRPC never closes an attempt with DEADLINE_EXCEEDED when the call's deadline
   * fires: it commits the call and cancels the attempt with CANCELLED. So a CANCELLED attempt whose
   * call deadline has passed timed out on this endpoint; and a CANCELLED attempt of a hedged call
   * that had received nothing after the hedging delay lost to a hedge because this endpoint did not
   * answer. A cancel before that (the caller's, or gRPC dropping an unneeded hedge) is neutral.
   */
  static Outcome classify(
      Status.Code code,
      Deadline deadline,
      long hedgingDelayNanos,
      boolean answered,
      long attemptNanos) {
    return switch (code) {
      case UNAVAILABLE, DEADLINE_EXCEEDED -> Outcome.FAILED;
      case CANCELLED -> {
        if (deadline != null && deadline.isExpired()) {
          yield Outcome.FAILED;
        }
        if (hedgingDelayNanos > 0 && !answered && attemptNanos >= hedgingDelayNanos) {
          yield Outcome.FAILED;
        }
        yield Outcome.NEUTRAL;
      }
      default -> Outcome.ALIVE;
    };
  }

  /** Feeds one attempt's outcome into the passive-health counter. */
  void record(Outcome outcome, Consumer<BalancedEndpoint> onFailureThreshold) {
    switch (outcome) {
      case FAILED -> {
        // Every further threshold-many failures ask again: an ejection refused because too many
        // endpoints are out is retried once the endpoint keeps failing.
        if (consecutiveFailures.incrementAndGet() % failureThreshold == 0) {
          onFailureThreshold.accept(this);
        }
      }
      case ALIVE -> {
        if (consecutiveFailures.get() != 0) {
          consecutiveFailures.set(0);
        }
      }
      case NEUTRAL -> {}
    }
  }

  /** One tracer per attempt: it needs the attempt's start, its call's deadline and hedging. */
  private static final class OutcomeTracerFactory extends ClientStreamTracer.Factory {
    private final BalancedEndpoint endpoint;
    private final Consumer<BalancedEndpoint> onThreshold;

    OutcomeTracerFactory(BalancedEndpoint endpoint, Consumer<BalancedEndpoint> onThreshold) {
      this.endpoint = endpoint;
      this.onThreshold = onThreshold;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(
        ClientStreamTracer.StreamInfo info, Metadata headers) {
      endpoint.attempts.increment();
      CallAttempts call = info.getCallOptions().getOption(CallAttempts.KEY);
      return new AttemptTracer(
          endpoint,
          onThreshold,
          info.getCallOptions().getDeadline(),
          call == null ? 0 : call.hedgingDelayNanos());
    }
  }

  private static final class AttemptTracer extends ClientStreamTracer {
    private final BalancedEndpoint endpoint;
    private final Consumer<BalancedEndpoint> onThreshold;
    private final Deadline deadline;
    private final long hedgingDelayNanos;
    private final long startNanos = System.nanoTime();
    private volatile boolean answered;

    AttemptTracer(
        BalancedEndpoint endpoint,
        Consumer<BalancedEndpoint> onThreshold,
        Deadline deadline,
        long hedgingDelayNanos) {
      this.endpoint = endpoint;
      this.onThreshold = onThreshold;
      this.deadline = deadline;
      this.hedgingDelayNanos = hedgingDelayNanos;
    }

    @Override
    public void inboundHeaders() {
      answered = true;
    }

    @Override
    public void inboundHeaders(Metadata headers) {
      answered = true;
    }

    @Override
    public void inboundMessage(int seqNo) {
      answered = true;
    }

    @Override
    public void streamClosed(Status status) {
      endpoint.record(
          classify(
              status.getCode(),
              deadline,
              hedgingDelayNanos,
              answered,
              System.nanoTime() - startNanos),
          onThreshold);
    }
  }
}
