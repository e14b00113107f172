package com.webook.platform.balancer;

import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.Subchannel;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One endpoint as the balancer sees it: its subchannel, registry data, connectivity, smooth WRR
 * current weights and passive-health state. It outlives pickers, so all of that survives picker
 * rebuilds when other endpoints come and go.
 *
 * <p>Threading: registry data, connectivity and ejection state are touched only in the channel's
 * synchronization context; the current weights only under the lock of the sequence they belong to;
 * the failure counter and pick counter are atomic (updated from transport threads).
 */
final class BalancedEndpoint {
  final Subchannel subchannel;

  /** Cached so that a pick allocates nothing. */
  final PickResult pickResult;

  final AtomicInteger consecutiveFailures = new AtomicInteger();
  final LongAdder picks = new LongAdder();

  // Synchronization context.
  String instanceId = "";
  int weight = 1;
  String group = "";
  long startTs;
  boolean held;
  ConnectivityState state = ConnectivityState.IDLE;
  Status lastFailure = Status.OK;
  boolean ejected;
  long ejectedUntil;
  int ejections;
  long lastEjectionAt;
  long restoreStart;

  // Guarded by the lock of the all-endpoints sequence / of this endpoint's group sequence.
  int currentWeightAll;
  int currentWeightGroup;

  BalancedEndpoint(
      Subchannel subchannel, int failureThreshold, Consumer<BalancedEndpoint> onFailureThreshold) {
    this.subchannel = subchannel;
    this.pickResult =
        PickResult.withSubchannel(
            subchannel, new OutcomeTracerFactory(this, failureThreshold, onFailureThreshold));
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

  /**
   * Counts call outcomes on this endpoint without allocating: one shared, stateless tracer per
   * endpoint (it only touches atomics). UNAVAILABLE and DEADLINE_EXCEEDED are failures; any other
   * answer means the endpoint is alive.
   */
  private static final class OutcomeTracerFactory extends ClientStreamTracer.Factory {
    private final ClientStreamTracer tracer;

    OutcomeTracerFactory(
        BalancedEndpoint endpoint, int threshold, Consumer<BalancedEndpoint> onThreshold) {
      this.tracer =
          new ClientStreamTracer() {
            @Override
            public void streamClosed(Status status) {
              Status.Code code = status.getCode();
              if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) {
                if (endpoint.consecutiveFailures.incrementAndGet() == threshold) {
                  onThreshold.accept(endpoint);
                }
              } else if (code != Status.Code.CANCELLED && endpoint.consecutiveFailures.get() != 0) {
                endpoint.consecutiveFailures.set(0);
              }
            }
          };
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(
        ClientStreamTracer.StreamInfo info, Metadata headers) {
      return tracer;
    }
  }
}
