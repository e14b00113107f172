package com.webook.platform.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.discovery.ServiceDirectory.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The self-protection policy on a fake clock, table-driven: each case is a sequence of steps at
 * given seconds — etcd lists some endpoints, or time passes ({@code expire}) — with what must be
 * published ({@code b*} = b held) and when the next grace ends.
 */
class SelfProtectionTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** At second {@code at}, etcd lists {@code etcd} (null: only time passes). */
  record Step(long at, String etcd, String published, Long graceEndsAt) {}

  static Step list(long at, String etcd, String published, Long graceEndsAt) {
    return new Step(at, etcd, published, graceEndsAt);
  }

  static Step expire(long at, String published, Long graceEndsAt) {
    return new Step(at, null, published, graceEndsAt);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "one of four removed passes at once (a rolling restart)",
            0.5,
            30,
            List.of(list(0, "a b c d", "a b c d", null), list(1, "a b c", "a b c", null))),
        Arguments.of(
            "three of four removed at once are held for the grace period",
            0.5,
            30,
            List.of(list(0, "a b c d", "a b c d", null), list(1, "a", "a b* c* d*", 31L))),
        Arguments.of(
            "an emptied list is held even when the share allows everything",
            1.0,
            30,
            List.of(list(0, "a", "a", null), list(1, "", "a*", 31L))),
        Arguments.of(
            "small removals within one grace period add up (a wipe seen key by key)",
            0.5,
            30,
            List.of(
                list(0, "a b c d", "a b c d", null),
                list(1, "b c d", "b c d", null),
                list(2, "c d", "c d", null),
                list(3, "d", "c* d", 33L))),
        Arguments.of(
            "removals spread over more than the grace period pass",
            0.5,
            10,
            List.of(
                list(0, "a b c d", "a b c d", null),
                list(1, "b c d", "b c d", null),
                list(12, "c d", "c d", null),
                list(24, "d", "d", null))),
        Arguments.of(
            "a held endpoint etcd lists again is an ordinary one",
            0.5,
            30,
            List.of(
                list(0, "a b c d", "a b c d", null),
                list(1, "a", "a b* c* d*", 31L),
                list(5, "a b", "a b c* d*", 31L))),
        Arguments.of(
            "when the grace ends the held endpoints go, not before",
            0.5,
            30,
            List.of(
                list(0, "a b c d", "a b c d", null),
                list(1, "a", "a b* c* d*", 31L),
                expire(30, "a b* c* d*", 31L),
                expire(31, "a", null))),
        Arguments.of(
            "new endpoints join while others are held",
            0.5,
            30,
            List.of(
                list(0, "a b", "a b", null),
                list(1, "", "a* b*", 31L),
                list(2, "c", "a* b* c", 31L))),
        Arguments.of(
            "a later bulk removal gets its own grace period",
            0.5,
            30,
            List.of(
                list(0, "a b c d", "a b c d", null),
                list(1, "c d", "c d", null),
                list(10, "", "c* d*", 40L),
                list(20, "e f", "c* d* e f", 40L),
                list(25, "", "c* d* e* f*", 40L),
                expire(40, "e* f*", 55L),
                expire(55, "", null))),
        Arguments.of(
            "a zero grace period turns protection off",
            0.5,
            0,
            List.of(list(0, "a b", "a b", null), list(1, "", "", null))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void decides(String name, double share, long graceSeconds, List<Step> steps) {
    SelfProtection policy = new SelfProtection(share, Duration.ofSeconds(graceSeconds));
    SelfProtection.State state = SelfProtection.State.NONE;
    Map<String, Endpoint> current = Map.of();
    for (Step step : steps) {
      Instant now = T0.plusSeconds(step.at());
      SelfProtection.Decision d;
      if (step.etcd() == null) {
        d = policy.expire(state, current, now);
      } else {
        Map<String, Endpoint> next = endpoints(step.etcd());
        d = policy.update(state, current, next, now);
        current = next;
      }
      state = d.state();
      assertThat(render(d.publish())).as("published at %ds", step.at()).isEqualTo(step.published());
      assertThat(d.graceEndsAt())
          .as("grace end at %ds", step.at())
          .isEqualTo(Optional.ofNullable(step.graceEndsAt()).map(T0::plusSeconds));
    }
  }

  @Test
  void reportsWhatItStartsToHoldAndReleasesAndKeepsTheHeldEndpointsData() {
    SelfProtection policy = new SelfProtection(0.5, Duration.ofSeconds(30));
    Map<String, Endpoint> before = endpoints("a b c");
    SelfProtection.Decision held = policy.update(SelfProtection.State.NONE, before, Map.of(), T0);
    assertThat(held.newlyHeld()).isEqualTo(3);
    assertThat(held.released()).isZero();
    Endpoint b = held.publish().get(1);
    assertThat(b.held()).isTrue();
    assertThat(b.instance()).isEqualTo(before.get("b").instance());
    assertThat(b.address()).isEqualTo(before.get("b").address());

    SelfProtection.Decision again = policy.update(held.state(), Map.of(), Map.of(), T0);
    assertThat(again.newlyHeld()).as("nothing new to hold").isZero();

    SelfProtection.Decision over = policy.expire(held.state(), Map.of(), T0.plusSeconds(30));
    assertThat(over.released()).isEqualTo(3);
    assertThat(over.publish()).isEmpty();
    assertThat(over.state().held()).isEmpty();
  }

  private static Map<String, Endpoint> endpoints(String ids) {
    Map<String, Endpoint> m = new LinkedHashMap<>();
    for (String id : ids.isBlank() ? new String[0] : ids.trim().split(" +")) {
      int port = 9000 + id.charAt(0);
      m.put(
          id,
          new Endpoint(
              id,
              new ServiceInstance("127.0.0.1:" + port, 1, "", "v", 0, Map.of()),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
              false));
    }
    return m;
  }

  private static String render(List<Endpoint> published) {
    return published.stream()
        .map(e -> e.instanceId() + (e.held() ? "*" : ""))
        .collect(Collectors.joining(" "));
  }
}
