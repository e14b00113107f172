package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Ids in paths: positive int64s in ASCII digits, nothing else. */
class PathIdsTest {
  static Stream<Arguments> ids() {
    return Stream.of(
        Arguments.of("1", OptionalLong.of(1)),
        Arguments.of("42", OptionalLong.of(42)),
        Arguments.of("9223372036854775807", OptionalLong.of(Long.MAX_VALUE)),
        Arguments.of("007", OptionalLong.of(7)),
        Arguments.of("0000000000000000000000001", OptionalLong.of(1)),
        Arguments.of("0", OptionalLong.empty()),
        Arguments.of("000", OptionalLong.empty()),
        Arguments.of("-1", OptionalLong.empty()),
        Arguments.of("+5", OptionalLong.empty()),
        Arguments.of("9223372036854775808", OptionalLong.empty()),
        Arguments.of("18446744073709551616", OptionalLong.empty()),
        Arguments.of("abc", OptionalLong.empty()),
        Arguments.of("1.5", OptionalLong.empty()),
        Arguments.of("1e3", OptionalLong.empty()),
        Arguments.of(" 1", OptionalLong.empty()),
        Arguments.of("1 ", OptionalLong.empty()),
        Arguments.of("\u0661", OptionalLong.empty()), // Arabic-Indic one: Long.parseLong takes it
        Arguments.of("１", OptionalLong.empty()), // fullwidth one, likewise
        Arguments.of("", OptionalLong.empty()),
        Arguments.of(null, OptionalLong.empty()));
  }

  @ParameterizedTest(name = "\"{0}\" → {1}")
  @MethodSource("ids")
  void parsesOnlyPositiveInt64s(String raw, OptionalLong expected) {
    assertThat(PathIds.positive(raw)).isEqualTo(expected);
  }
}
