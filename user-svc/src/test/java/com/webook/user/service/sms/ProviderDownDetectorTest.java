package com.webook.user.service.sms;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.user.config.SmsConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProviderDownDetectorTest {
  /** 10 s window in 1 s buckets; ≥ 4 requests; ≥ 50% errors; p99 ≥ 100 ms and > 5× baseline. */
  private static final SmsConfig.Detector CONFIG =
      new SmsConfig.Detector(
          Duration.ofSeconds(10), 10, 4, 0.5, 5.0, Duration.ofMillis(100), 3, 10);

  private static final Duration FAST = Duration.ofMillis(20);

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProviderDownDetector detector = new ProviderDownDetector(CONFIG, clock, registry);

  private void record(int ok, int failed, Duration latency) {
    for (int i = 0; i < ok; i++) {
      detector.record(true, latency);
    }
    for (int i = 0; i < failed; i++) {
      detector.record(false, latency);
    }
  }

  static Stream<Arguments> errorRatios() {
    return Stream.of(
        Arguments.of("no traffic", 0, 0, false),
        Arguments.of("all failed but below the minimum count", 0, 3, false),
        Arguments.of("all failed at the minimum count", 0, 4, true),
        Arguments.of("exactly the threshold ratio", 5, 5, true),
        Arguments.of("just below the threshold ratio", 6, 5, false),
        Arguments.of("healthy", 100, 1, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errorRatios")
  void errorRatioWithAMinimumRequestCount(String name, int ok, int failed, boolean down) {
    record(ok, failed, FAST);

    ProviderDownDetector.Verdict v = detector.evaluate();
    assertThat(v.down()).isEqualTo(down);
    assertThat(v.requests()).isEqualTo(ok + failed);
    if (down) {
      assertThat(v.reason()).isEqualTo("error_ratio");
    }
  }

  @Test
  void failuresAgeOutOfTheWindowAndTheProvidersAreTriedAgain() {
    record(0, 4, FAST);
    assertThat(detector.isDown()).isTrue();

    clock.advance(Duration.ofSeconds(5));
    assertThat(detector.isDown())
        .as("5 s later the failures are still in the 10 s window")
        .isTrue();

    clock.advance(Duration.ofSeconds(6));
    assertThat(detector.isDown()).as("11 s later they left it").isFalse();
    assertThat(detector.evaluate().requests()).isZero();
    assertThat(registry.counter("sms.detector.transitions", "state", "down").count())
        .isEqualTo(1.0);
    assertThat(registry.counter("sms.detector.transitions", "state", "up").count()).isEqualTo(1.0);
    assertThat(registry.get("sms.detector.down").gauge().value()).isZero();
  }

  @Test
  void theWindowSlidesBucketByBucket() {
    record(0, 2, FAST);
    clock.advance(Duration.ofSeconds(4));
    record(0, 2, FAST);
    assertThat(detector.isDown()).isTrue();

    clock.advance(Duration.ofSeconds(6));
    ProviderDownDetector.Verdict v = detector.evaluate();
    assertThat(v.requests()).as("the first two aged out, the last two did not").isEqualTo(2);
    assertThat(v.down()).as("below the minimum count again").isFalse();
  }

  /** Fills the baseline: 3 earlier windows of fast, successful sends. */
  private void healthyHistory(Duration latency) {
    for (int w = 0; w < 3; w++) {
      record(20, 0, latency);
      clock.advance(Duration.ofSeconds(10));
    }
    clock.advance(Duration.ofSeconds(10));
  }

  @Test
  void aP99JumpOverTheLongRunP99MeansDown() {
    healthyHistory(FAST);
    record(10, 0, Duration.ofMillis(200));

    ProviderDownDetector.Verdict v = detector.evaluate();
    assertThat(v.down()).isTrue();
    assertThat(v.reason()).isEqualTo("latency");
    assertThat(v.baselineRequests()).isGreaterThanOrEqualTo(10);
    assertThat(v.baselineP99Millis()).isBetween(20L, 24L);
    assertThat(v.p99Millis()).isBetween(200L, 240L);
    assertThat(v.errorRatio()).isZero();
  }

  static Stream<Arguments> latencies() {
    return Stream.of(
        Arguments.of("4x the baseline is no jump", 50, 200, false),
        Arguments.of("10x the baseline but under the floor", 5, 50, false),
        Arguments.of("10x the baseline and over the floor", 20, 200, true),
        Arguments.of("steady slow provider", 300, 300, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("latencies")
  void latencyRuleNeedsAJumpAndTheFloor(String name, long baselineMs, long recentMs, boolean down) {
    healthyHistory(Duration.ofMillis(baselineMs));
    record(10, 0, Duration.ofMillis(recentMs));

    assertThat(detector.evaluate().down()).isEqualTo(down);
  }

  @Test
  void noLatencyVerdictWithoutEnoughBaseline() {
    record(5, 0, FAST);
    clock.advance(Duration.ofSeconds(20));
    record(10, 0, Duration.ofSeconds(2));

    ProviderDownDetector.Verdict v = detector.evaluate();
    assertThat(v.baselineRequests()).isEqualTo(5);
    assertThat(v.down()).as("5 baseline requests < 10 required").isFalse();
  }

  @Test
  void aSlowdownCannotRaiseItsOwnBaseline() {
    healthyHistory(FAST);
    // Many more slow sends in the last window than the whole baseline holds: if they counted in
    // the baseline, its p99 would be slow too and the jump would hide itself.
    record(500, 0, Duration.ofMillis(400));

    ProviderDownDetector.Verdict v = detector.evaluate();
    assertThat(v.baselineRequests()).isEqualTo(60);
    assertThat(v.baselineP99Millis()).isLessThan(25L);
    assertThat(v.down()).isTrue();
  }

  @Test
  void slowSendsBecomeTheNewBaselineOnceTheyAreOld() {
    healthyHistory(FAST);
    record(10, 0, Duration.ofMillis(400));
    assertThat(detector.isDown()).isTrue();

    // The provider stays slow for the whole baseline horizon: slow is the new normal.
    for (int w = 0; w < 4; w++) {
      clock.advance(Duration.ofSeconds(10));
      record(20, 0, Duration.ofMillis(400));
    }
    assertThat(detector.isDown()).isFalse();
  }

  @Test
  void binsCoverTheirLatencies() {
    for (long ms : new long[] {0, 1, 2, 3, 7, 10, 99, 100, 1000, 12_345, 3_600_000}) {
      long upper = ProviderDownDetector.upperBound(ProviderDownDetector.bin(ms));
      assertThat(upper).as("upper bound of %d ms", ms).isGreaterThanOrEqualTo(Math.max(ms, 1));
      assertThat((double) upper)
          .as("resolution at %d ms", ms)
          .isLessThanOrEqualTo(Math.max(1, ms) * 1.2 + 1);
    }
  }
}
