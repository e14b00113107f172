package com.webook.ranking.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The candidate choice: a pure function of the loads and liveness one instance read. */
class InstanceLoadsTest {
  private static final long NOW = 1_000_000;
  private static final long WINDOW = 600;

  /** id → {load, ms since last seen}; a negative age means "no liveness entry". */
  private static InstanceLoads snapshot(Map<String, int[]> instances) {
    Map<String, Integer> loads = new HashMap<>();
    Map<String, Long> seen = new HashMap<>();
    instances.forEach(
        (id, loadAndAge) -> {
          loads.put(id, loadAndAge[0]);
          if (loadAndAge[1] >= 0) {
            seen.put(id, NOW - loadAndAge[1]);
          }
        });
    return new InstanceLoads(NOW, loads, seen);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        row("lowest load first", Map.of("a", l(30, 0), "b", l(10, 0), "c", l(50, 0)), "b,a,c"),
        row("ties by instance id", Map.of("b", l(20, 0), "a", l(20, 0), "c", l(5, 0)), "c,a,b"),
        row(
            "all loaded: still ranked (rank, not threshold)",
            Map.of("a", l(95, 0), "b", l(90, 0), "c", l(99, 0)),
            "b,a,c"),
        row(
            "not seen within the window: dead",
            Map.of("a", l(30, 0), "b", l(10, 601), "c", l(50, 100)),
            "a,c"),
        row(
            "seen exactly at the window's edge: live",
            Map.of("a", l(30, 0), "b", l(10, 600)),
            "b,a"),
        row("a load without liveness: not live", Map.of("a", l(30, 0), "b", l(10, -1)), "a"),
        row("nobody", Map.of(), ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ranksLiveInstancesLowestLoadFirst(Map<String, int[]> instances, String expected) {
    List<String> ranked = snapshot(instances).liveByLoad(WINDOW);
    assertThat(String.join(",", ranked)).isEqualTo(expected);
  }

  static Stream<Arguments> candidates() {
    Map<String, int[]> three = Map.of("a", l(30, 0), "b", l(10, 0), "c", l(50, 0));
    return Stream.of(
        candidate("the lowest, one candidate", three, "b", 1, true),
        candidate("the second, one candidate", three, "a", 1, false),
        candidate("the second, two candidates", three, "a", 2, true),
        candidate("the highest, two candidates", three, "c", 2, false),
        candidate("more candidates than instances", three, "c", 5, true),
        candidate(
            "the lowest is dead: the next one is candidate",
            Map.of("a", l(30, 0), "b", l(10, 700), "c", l(50, 0)),
            "a",
            1,
            true),
        candidate("itself not live (never published)", three, "x", 5, false),
        candidate("alone", Map.of("a", l(100, 0)), "a", 1, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("candidates")
  void isCandidateWhenAmongTheLowestLoadedLiveInstances(
      Map<String, int[]> instances, String self, int candidates, boolean expected) {
    assertThat(snapshot(instances).isCandidate(self, candidates, WINDOW)).isEqualTo(expected);
  }

  private static int[] l(int load, int ageMillis) {
    return new int[] {load, ageMillis};
  }

  private static Arguments row(String name, Map<String, int[]> instances, String expected) {
    return Arguments.of(Named.of(name, instances), expected);
  }

  private static Arguments candidate(
      String name, Map<String, int[]> instances, String self, int candidates, boolean expected) {
    return Arguments.of(Named.of(name, instances), self, candidates, expected);
  }
}
