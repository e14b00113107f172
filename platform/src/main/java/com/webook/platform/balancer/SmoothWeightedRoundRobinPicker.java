package com.webook.platform.balancer;

import com.webook.platform.config.WeightedRoundRobinConfig.GroupFallback;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Map;

/**
 * Picks among the usable (READY, not ejected) endpoints of one lane with {@link
 * SmoothWeightedSequence}. Lanes are Dubbo-style tag routing (SPEC §8.3): a call without {@code
 * x-route-group} goes only to endpoints without a group; a call carrying group g goes only to g's
 * endpoints, and waits ({@link PickResult#withNoResult()}: gRPC queues it, within its deadline,
 * until a new picker) while they are still connecting; only when no endpoint of g is registered
 * does it fall back to the ungrouped lane, or fail, as configured.
 *
 * <p>The pick path allocates nothing: results are cached per endpoint, and the header is read only
 * when it can matter (some group is registered, or the fallback is to fail).
 */
final class SmoothWeightedRoundRobinPicker extends SubchannelPicker {
  static final Metadata.Key<String> ROUTE_GROUP = com.webook.platform.routing.RouteGroup.HEADER;

  private final String service;
  private final Lane ungrouped;
  private final Map<String, Lane> groups;
  private final GroupFallback fallback;
  private final boolean readsHeader;

  SmoothWeightedRoundRobinPicker(
      String service, Lane ungrouped, Map<String, Lane> groups, GroupFallback fallback) {
    this.service = service;
    this.ungrouped = ungrouped;
    this.groups = Map.copyOf(groups);
    this.fallback = fallback;
    this.readsHeader = !groups.isEmpty() || fallback == GroupFallback.FAIL;
  }

  @Override
  public PickResult pickSubchannel(PickSubchannelArgs args) {
    Lane lane = ungrouped;
    if (readsHeader) {
      String group = args.getHeaders().get(ROUTE_GROUP);
      if (group != null && !group.isEmpty()) {
        Lane g = groups.get(group);
        if (g != null) {
          lane = g;
        } else if (fallback == GroupFallback.FAIL) {
          return PickResult.withError(
              Status.UNAVAILABLE.withDescription(
                  "no instances of " + service + " in group " + group));
        }
      }
    }
    return lane.pick(args);
  }

  /**
   * The balancer replaced this picker: carry each lane's state over (see SmoothWeightedSequence).
   */
  void retire() {
    ungrouped.retire();
    groups.values().forEach(Lane::retire);
  }

  @Override
  public String toString() {
    return "SmoothWeightedRoundRobinPicker{ungrouped=" + ungrouped + ", groups=" + groups + "}";
  }

  /**
   * The endpoints of one group (or of none): a sequence over its usable endpoints, or, when none is
   * usable, a fixed answer (wait while some are connecting, else fail).
   */
  static final class Lane {
    private final SmoothWeightedSequence sequence;
    private final PickResult fixed;

    private Lane(SmoothWeightedSequence sequence, PickResult fixed) {
      this.sequence = sequence;
      this.fixed = fixed;
    }

    static Lane of(SmoothWeightedSequence sequence) {
      return new Lane(sequence, null);
    }

    static Lane waiting() {
      return new Lane(null, PickResult.withNoResult());
    }

    static Lane failing(Status status) {
      return new Lane(null, PickResult.withError(status));
    }

    PickResult pick(PickSubchannelArgs args) {
      SmoothWeightedSequence s = sequence;
      if (s == null) {
        return fixed;
      }
      PickResult r = s.next();
      CallAttempts attempts = args.getCallOptions().getOption(CallAttempts.KEY);
      return attempts == null ? r : s.avoidTried(r, attempts);
    }

    void retire() {
      if (sequence != null) {
        sequence.retire();
      }
    }

    @Override
    public String toString() {
      return sequence != null ? sequence.size() + " endpoints" : fixed.toString();
    }
  }
}
