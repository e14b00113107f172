package com.webook.ranking.job;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What one instance saw of all instances at one moment: each one's published load and when it last
 * published, on the Redis server's clock. Pure: the candidate choice is a function of this record
 * alone, so it is tested without Redis.
 *
 * @param nowMillis the Redis server's time when the snapshot was read
 * @param loads instance id → load (0–100)
 * @param seenMillis instance id → when it last published (Redis ms)
 */
record InstanceLoads(long nowMillis, Map<String, Integer> loads, Map<String, Long> seenMillis) {
  private static final Comparator<Map.Entry<String, Integer>> LOWEST_FIRST =
      Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey());

  InstanceLoads {
    loads = Map.copyOf(loads);
    seenMillis = Map.copyOf(seenMillis);
  }

  /**
   * The live instances (a load, and seen within {@code liveWindowMillis} of now), lowest load
   * first; equal loads by instance id, so every instance ranks a snapshot the same way.
   */
  List<String> liveByLoad(long liveWindowMillis) {
    return loads.entrySet().stream()
        .filter(e -> isLive(e.getKey(), liveWindowMillis))
        .sorted(LOWEST_FIRST)
        .map(Map.Entry::getKey)
        .toList();
  }

  /**
   * Whether {@code instanceId} is among the {@code candidates} lowest-loaded live instances: a
   * rank, not a threshold, so even when every instance is loaded the lowest still competes.
   */
  boolean isCandidate(String instanceId, int candidates, long liveWindowMillis) {
    List<String> ranked = liveByLoad(liveWindowMillis);
    int rank = ranked.indexOf(instanceId);
    return rank >= 0 && rank < candidates;
  }

  private boolean isLive(String instanceId, long liveWindowMillis) {
    Long seen = seenMillis.get(instanceId);
    return seen != null && seen >= nowMillis - liveWindowMillis;
  }
}
