package com.webook.platform.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobDefinitionTest {
  static Stream<Arguments> invalid() {
    String long129 = "x".repeat(129);
    return Stream.of(
        Arguments.of(null, "exec", "0 * * * * ?", "", "job name: must not be empty"),
        Arguments.of(" ", "exec", "0 * * * * ?", "", "job name: must not be empty"),
        Arguments.of(long129, "exec", "0 * * * * ?", "", "job name: must be at most 128"),
        Arguments.of("ranking", "", "0 * * * * ?", "", "job executor: must not be empty"),
        Arguments.of("ranking", long129, "0 * * * * ?", "", "job executor: must be at most 128"),
        Arguments.of("ranking", "exec", null, "", "job expression: must not be empty"),
        Arguments.of("ranking", "exec", "0 * * * *", "", "invalid cron expression '0 * * * *'"),
        Arguments.of(
            "ranking", "exec", "0 * * * * ?", "é".repeat(40_000), "cfg must be at most 65535"));
  }

  @ParameterizedTest(name = "{4}")
  @MethodSource("invalid")
  void invalidDefinitionsAreRejected(
      String name, String executor, String expression, String cfg, String message) {
    assertThatThrownBy(() -> new JobDefinition(name, executor, expression, cfg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void valuesAreTrimmedAndANullCfgIsEmpty() {
    JobDefinition def = new JobDefinition(" ranking ", " topN ", " 0 */3 * * * ? ", null);
    assertThat(def).isEqualTo(new JobDefinition("ranking", "topN", "0 */3 * * * ?", ""));
    assertThat(def.schedule().expression()).isEqualTo("0 */3 * * * ?");
  }

  @Test
  void namesCountCharactersNotUtf16Units() {
    String emoji128 = "😀".repeat(128); // 256 UTF-16 units, 128 characters: fits VARCHAR(128)
    assertThat(new JobDefinition(emoji128, "exec", "0 * * * * ?", "").name()).isEqualTo(emoji128);
  }

  @Test
  void aRowMatchesTheDefinitionItWasWrittenFrom() {
    JobDefinition def = new JobDefinition("ranking", "topN", "0 */3 * * * ?", "{\"n\":100}");
    JobRow row =
        new JobRow(1, "ranking", "topN", "{\"n\":100}", "0 */3 * * * ?", 4, 0, JobRow.PAUSED, 0);
    assertThat(row.matches(def)).isTrue();
    assertThat(row.matches(new JobDefinition("ranking", "topN", "0 */5 * * * ?", "{\"n\":100}")))
        .isFalse();
    assertThat(row.matches(new JobDefinition("ranking", "other", "0 */3 * * * ?", "{\"n\":100}")))
        .isFalse();
    assertThat(row.matches(new JobDefinition("ranking", "topN", "0 */3 * * * ?", "{}"))).isFalse();
  }

  @Test
  void configNeedsPositiveIntervalsAndIsStaleAfterThreeRenewals() {
    assertThat(new JobSchedulerConfig(Duration.ofSeconds(1), Duration.ofSeconds(10)).staleAfter())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(JobSchedulerConfig.DEFAULTS.renewInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThatThrownBy(() -> new JobSchedulerConfig(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("pollInterval: must be a positive duration");
    assertThatThrownBy(() -> new JobSchedulerConfig(Duration.ofSeconds(1), Duration.ofSeconds(-1)))
        .hasMessageContaining("renewInterval: must be a positive duration");
    assertThatThrownBy(() -> new JobSchedulerConfig(Duration.ofSeconds(1), null))
        .hasMessageContaining("renewInterval: is required");
    assertThatThrownBy(() -> new JobSchedulerConfig(Duration.ofSeconds(1), Duration.ofNanos(10)))
        .hasMessageContaining("renewInterval: must be at least 1ms");
  }
}
