package com.webook.platform.balancer;

import io.grpc.LoadBalancer.PickResult;
import io.grpc.LoadBalancer.PickSubchannelArgs;
import io.grpc.LoadBalancer.SubchannelPicker;
import io.grpc.Metadata;
import java.util.Map;

/**
 * Picks among the usable (READY, not ejected) endpoints with {@link SmoothWeightedSequence}. A call
 * carrying {@code x-route-group: <g>} is served by the endpoints of group g when one is usable,
 * else by all (SPEC §8.3). The pick path allocates nothing: results are cached per endpoint, and
 * the header is read only when some endpoint has a group.
 */
final class SmoothWeightedRoundRobinPicker extends SubchannelPicker {
  static final Metadata.Key<String> ROUTE_GROUP = com.webook.platform.routing.RouteGroup.HEADER;

  private final SmoothWeightedSequence all;
  private final Map<String, SmoothWeightedSequence> groups;

  SmoothWeightedRoundRobinPicker(
      SmoothWeightedSequence all, Map<String, SmoothWeightedSequence> groups) {
    this.all = all;
    this.groups = groups;
  }

  @Override
  public PickResult pickSubchannel(PickSubchannelArgs args) {
    SmoothWeightedSequence sequence = all;
    if (!groups.isEmpty()) {
      String group = args.getHeaders().get(ROUTE_GROUP);
      if (group != null) {
        SmoothWeightedSequence g = groups.get(group);
        if (g != null) {
          sequence = g;
        }
      }
    }
    BalancedEndpoint e = sequence.next();
    e.picks.increment();
    return e.pickResult;
  }

  /** The balancer replaced this picker: give unused steps back (see SmoothWeightedSequence). */
  void retire() {
    all.retire();
    groups.values().forEach(SmoothWeightedSequence::retire);
  }

  @Override
  public String toString() {
    return "SmoothWeightedRoundRobinPicker{endpoints="
        + all.size()
        + ", groups="
        + groups.keySet()
        + "}";
  }
}
