package com.webook.platform.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.validation.ArticleInputRules.ArticleProblem;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §2.4's article input rules, each on both sides of its boundary. */
class ArticleInputRulesTest {
  private static final int MIB = 1 << 20;

  static Stream<Arguments> articles() {
    return Stream.of(
        Arguments.of("title and content", "Hello", "<p>world</p>", null),
        Arguments.of("empty content is a draft", "Hello", "", null),
        Arguments.of("empty title", "", "x", ArticleProblem.EMPTY_TITLE),
        Arguments.of("blank title", " \t\n", "x", ArticleProblem.EMPTY_TITLE),
        Arguments.of("1024-character title", "t".repeat(1024), "", null),
        Arguments.of("1025-character title", "t".repeat(1025), "", ArticleProblem.LONG_TITLE),
        Arguments.of("1024 emoji (2048 Java chars)", "😀".repeat(1024), "", null),
        Arguments.of("1025 emoji", "😀".repeat(1025), "", ArticleProblem.LONG_TITLE),
        Arguments.of(
            "empty title before long content", "", "x".repeat(MIB + 1), ArticleProblem.EMPTY_TITLE),
        Arguments.of("1 MiB of ASCII", "t", "x".repeat(MIB), null),
        Arguments.of(
            "1 MiB + 1 byte of ASCII", "t", "x".repeat(MIB + 1), ArticleProblem.LONG_CONTENT),
        Arguments.of("1 MiB of 3-byte characters", "t", "汉".repeat(MIB / 3) + "x", null),
        Arguments.of(
            "1 MiB + 2 bytes of 3-byte characters",
            "t",
            "汉".repeat(MIB / 3 + 1),
            ArticleProblem.LONG_CONTENT),
        Arguments.of(
            "4-byte characters over 1 MiB with fewer chars than bytes",
            "t",
            "😀".repeat(MIB / 4 + 1),
            ArticleProblem.LONG_CONTENT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("articles")
  void check(String name, String title, String content, ArticleProblem problem) {
    assertThat(ArticleInputRules.check(title, content)).isEqualTo(Optional.ofNullable(problem));
  }
}
