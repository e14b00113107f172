package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.DownstreamException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/** Every degraded answer counted; at most one log line per interval and dependency. */
class DegradationTest {
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(Degradation.class);
  private Instant now = Instant.parse("2024-01-01T00:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final Degradation degradation =
      new Degradation(
          metrics,
          clock,
          Duration.ofSeconds(10),
          Map.of("interactive", List.of(Degradation.TIMEOUT, "unavailable")));

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  private double count(String dependency, String reason) {
    var c =
        metrics.find("bff.degraded").tag("dependency", dependency).tag("reason", reason).counter();
    return c == null ? -1 : c.count();
  }

  @Test
  void preRegisteredSeriesStartAtZero() {
    assertThat(count("interactive", "timeout")).isZero();
    assertThat(count("interactive", "unavailable")).isZero();
  }

  @Test
  void countsEveryOneAndLogsOncePerIntervalWithTheNumberLeftOut() {
    for (int i = 0; i < 100; i++) {
      degradation.record("interactive", "unavailable", "req-" + i, "interactive.Get failed");
    }
    assertThat(count("interactive", "unavailable")).isEqualTo(100);
    assertThat(lines.list).hasSize(1);
    assertThat(lines.list.getFirst().getFormattedMessage())
        .contains("request req-0")
        .contains("without interactive (unavailable)")
        .contains("0 more degraded answers since the last line");

    now = now.plusSeconds(9);
    degradation.record("interactive", "timeout", "req-100", "slow");
    assertThat(lines.list).as("still within the interval").hasSize(1);

    now = now.plusSeconds(1);
    degradation.record("interactive", "timeout", "req-101", "slow");
    assertThat(lines.list).hasSize(2);
    assertThat(lines.list.get(1).getFormattedMessage())
        .contains("request req-101")
        .contains("(timeout)")
        .contains("100 more degraded answers since the last line");
    assertThat(count("interactive", "timeout")).isEqualTo(2);
  }

  @Test
  void eachDependencyHasItsOwnInterval() {
    degradation.record("interactive", "unavailable", "a", "x");
    degradation.record("ranking", "unavailable", "b", "x");
    degradation.record("interactive", "unavailable", "c", "x");
    assertThat(lines.list).hasSize(2);
    assertThat(count("ranking", "unavailable")).isEqualTo(1);
  }

  static Stream<Arguments> reasons() {
    return Stream.of(
        Arguments.of(
            new DownstreamException("interactive.Get", Status.UNAVAILABLE, null), "unavailable"),
        Arguments.of(
            new DownstreamException("interactive.Get", Status.UNIMPLEMENTED, null),
            "unimplemented"),
        Arguments.of(
            new DownstreamException("interactive.Get", Status.DEADLINE_EXCEEDED, null), "timeout"),
        Arguments.of(new DownstreamException("interactive.Get", Status.INTERNAL, null), "internal"),
        Arguments.of(new InvalidInputException("x"), "invalid_argument"),
        Arguments.of(new NotFoundException("x"), "not_found"),
        Arguments.of(new ConflictException("x"), "already_exists"),
        Arguments.of(new PermissionDeniedException("x"), "permission_denied"),
        Arguments.of(new RateLimitedException("x"), "resource_exhausted"),
        Arguments.of(new IllegalStateException("a bug"), "error"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("reasons")
  void reasonsAreTheStatusInLowerCase(Throwable failure, String reason) {
    assertThat(Degradation.reasonOf(failure)).isEqualTo(reason);
  }
}
