package com.webook.platform.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.balancer.BalancedEndpoint.Outcome;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What one attempt's end says about its endpoint (the statuses a retrying channel really reports
 * are exercised end to end in {@code client.HungEndpointTest}).
 */
class BalancedEndpointTest {
  private static final long MS = 1_000_000;
  private static final Deadline PASSED = Deadline.after(-1, TimeUnit.SECONDS);
  private static final Deadline AHEAD = Deadline.after(1, TimeUnit.HOURS);

  static Stream<Arguments> attempts() {
    return Stream.of(
        Arguments.of("answered OK", Status.Code.OK, AHEAD, 0L, true, 1L, Outcome.ALIVE),
        Arguments.of(
            "answered an error", Status.Code.NOT_FOUND, AHEAD, 0L, true, 1L, Outcome.ALIVE),
        Arguments.of("unreachable", Status.Code.UNAVAILABLE, AHEAD, 0L, false, 1L, Outcome.FAILED),
        Arguments.of(
            "deadline, no retry policy",
            Status.Code.DEADLINE_EXCEEDED,
            PASSED,
            0L,
            false,
            1L,
            Outcome.FAILED),
        Arguments.of(
            "retrying channel: deadline fired, attempt cancelled",
            Status.Code.CANCELLED,
            PASSED,
            0L,
            false,
            300 * MS,
            Outcome.FAILED),
        Arguments.of(
            "caller cancelled before its deadline",
            Status.Code.CANCELLED,
            AHEAD,
            0L,
            false,
            300 * MS,
            Outcome.NEUTRAL),
        Arguments.of(
            "cancelled, no deadline at all",
            Status.Code.CANCELLED,
            null,
            0L,
            false,
            300 * MS,
            Outcome.NEUTRAL),
        Arguments.of(
            "hedge lost after sitting unanswered past the hedging delay",
            Status.Code.CANCELLED,
            AHEAD,
            50 * MS,
            false,
            80 * MS,
            Outcome.FAILED),
        Arguments.of(
            "hedge lost quickly (the other attempt was just faster)",
            Status.Code.CANCELLED,
            AHEAD,
            50 * MS,
            false,
            10 * MS,
            Outcome.NEUTRAL),
        Arguments.of(
            "hedge lost while it was already answering",
            Status.Code.CANCELLED,
            AHEAD,
            50 * MS,
            true,
            80 * MS,
            Outcome.NEUTRAL));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attempts")
  void classifiesWhatARetryingChannelReports(
      String name,
      Status.Code code,
      Deadline deadline,
      long hedgingDelayNanos,
      boolean answered,
      long attemptNanos,
      Outcome expected) {
    assertThat(BalancedEndpoint.classify(code, deadline, hedgingDelayNanos, answered, attemptNanos))
        .isEqualTo(expected);
  }
}
