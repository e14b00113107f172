package com.webook.platform.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  static Stream<Arguments> nextFires() {
    return Stream.of(
        Arguments.of(
            "every 3 minutes, mid-period",
            "0 */3 * * * ?",
            "2026-12-07T10:01:30.250Z",
            "2026-12-07T10:03:00Z"),
        Arguments.of(
            "every 3 minutes, exactly on a fire time: strictly after",
            "0 */3 * * * ?",
            "2026-12-07T10:03:00Z",
            "2026-12-07T10:06:00Z"),
        Arguments.of(
            "every 3 minutes, one millisecond after a fire time",
            "0 */3 * * * ?",
            "2026-12-07T10:03:00.001Z",
            "2026-12-07T10:06:00Z"),
        Arguments.of(
            "every 10 seconds, inside a matching second",
            "*/10 * * * * ?",
            "2026-12-07T10:00:10.999Z",
            "2026-12-07T10:00:20Z"),
        Arguments.of(
            "every second", "* * * * * ?", "2026-12-07T10:00:10.400Z", "2026-12-07T10:00:11Z"),
        Arguments.of(
            "daily at 03:00, across midnight and the year",
            "0 0 3 * * ?",
            "2026-12-31T23:59:59Z",
            "2027-01-01T03:00:00Z"),
        Arguments.of(
            "Sundays at noon (Quartz: 1 = Sunday)",
            "0 0 12 ? * 1",
            "2026-12-07T00:00:00Z", // a Monday
            "2026-12-13T12:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nextFires")
  void nextFireIsStrictlyAfter(String name, String expression, String after, String expected) {
    assertThat(CronSchedule.parse(expression).nextAfter(Instant.parse(after), UTC))
        .contains(Instant.parse(expected));
  }

  @Test
  void hoursAreTheZonesWallClock() {
    CronSchedule daily = CronSchedule.parse("0 0 3 * * ?");
    assertThat(daily.nextAfter(Instant.parse("2026-12-07T00:00:00Z"), ZoneId.of("Asia/Shanghai")))
        .contains(Instant.parse("2026-12-07T19:00:00Z")); // 03:00 on the 8th in UTC+8
  }

  @Test
  void anExpressionWhoseYearsArePastNeverFiresAgain() {
    assertThat(
            CronSchedule.parse("0 0 0 1 1 ? 2020")
                .nextAfter(Instant.parse("2026-01-01T00:00:00Z"), UTC))
        .isEmpty();
  }

  @Test
  void consecutiveFiresOfAOneSecondCronAreOneSecondApart() {
    CronSchedule everySecond = CronSchedule.parse("* * * * * ?");
    Instant t = Instant.parse("2026-12-07T10:00:00.500Z");
    for (int i = 1; i <= 5; i++) {
      t = everySecond.nextAfter(t, UTC).orElseThrow();
      assertThat(t).isEqualTo(Instant.parse("2026-12-07T10:00:00Z").plusSeconds(i));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "* * * * *", // five fields: Unix syntax, no seconds
        "0 */3 * * * *", // both day fields set: Quartz wants '?' in one
        "0 61 * * * ?", // minute out of range
        "every three minutes",
        "0 0 0 ? * MON-FOO"
      })
  void badExpressionsAreRejectedNamingTheExpression(String expression) {
    assertThatThrownBy(() -> CronSchedule.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid cron expression '" + expression + "'")
        .hasMessageContaining("Quartz syntax");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void emptyExpressionsAreRejected(String expression) {
    assertThatThrownBy(() -> CronSchedule.parse(expression))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cron expression: must not be empty");
  }

  @Test
  void theExpressionIsKeptTrimmed() {
    assertThat(CronSchedule.parse("  0 */3 * * * ? ").expression()).isEqualTo("0 */3 * * * ?");
  }
}
