package com.webook.platform.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.errors.InvalidInputException;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every check: the values on both sides of its boundary, and the message of a rejection. */
class RequestChecksTest {
  static Stream<Arguments> accepted() {
    return Stream.of(
        ok("positiveId: 1", () -> RequestChecks.positiveId("id", 1), 1L),
        ok(
            "positiveId: max int64",
            () -> RequestChecks.positiveId("id", Long.MAX_VALUE),
            Long.MAX_VALUE),
        ok("notEmpty: a space", () -> RequestChecks.notEmpty("state", " "), " "),
        ok("nonBlank: a letter in spaces", () -> RequestChecks.nonBlank("nickname", " a "), " a "),
        ok("maxChars: exactly max", () -> RequestChecks.maxChars("title", "abc", 3), "abc"),
        ok("maxChars: empty", () -> RequestChecks.maxChars("title", "", 3), ""),
        ok(
            "maxChars: 3 emoji are 3 characters (6 Java chars)",
            () -> RequestChecks.maxChars("title", "😀😀😀", 3),
            "😀😀😀"),
        ok("biz: one character", () -> RequestChecks.biz("a"), "a"),
        ok("biz: 128 characters", () -> RequestChecks.biz("b".repeat(128)), "b".repeat(128)),
        ok(
            "biz: 128 Chinese characters",
            () -> RequestChecks.biz("文".repeat(128)),
            "文".repeat(128)),
        ok("pageOffset: 0", () -> RequestChecks.pageOffset("offset", 0), 0),
        ok(
            "pageOffset: max int",
            () -> RequestChecks.pageOffset("offset", Integer.MAX_VALUE),
            Integer.MAX_VALUE),
        ok("pageLimit: 1", () -> RequestChecks.pageLimit("limit", 1, 100), 1),
        ok("pageLimit: max", () -> RequestChecks.pageLimit("limit", 100, 100), 100),
        ok("itemCount: min", () -> RequestChecks.itemCount("ids", List.of(1L), 1, 2), List.of(1L)),
        ok(
            "itemCount: max",
            () -> RequestChecks.itemCount("ids", List.of(1L, 2L), 1, 2),
            List.of(1L, 2L)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void acceptedValuesAreReturned(Supplier<Object> check, Object expected) {
    assertThat(check.get()).isEqualTo(expected);
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        bad("positiveId: 0", () -> RequestChecks.positiveId("id", 0), "id must be > 0, was 0"),
        bad(
            "positiveId: negative",
            () -> RequestChecks.positiveId("user.id", -3),
            "user.id must be > 0, was -3"),
        bad(
            "positiveId: min int64",
            () -> RequestChecks.positiveId("id", Long.MIN_VALUE),
            "id must be > 0, was " + Long.MIN_VALUE),
        bad("notEmpty: empty", () -> RequestChecks.notEmpty("code", ""), "code must not be empty"),
        bad(
            "nonBlank: empty",
            () -> RequestChecks.nonBlank("nickname", ""),
            "nickname must not be empty"),
        bad(
            "nonBlank: whitespace only",
            () -> RequestChecks.nonBlank("nickname", " \t\n"),
            "nickname must not be empty"),
        bad(
            "maxChars: one over",
            () -> RequestChecks.maxChars("title", "abcd", 3),
            "title must be at most 3 characters"),
        bad(
            "maxChars: 4 emoji",
            () -> RequestChecks.maxChars("title", "😀😀😀😀", 3),
            "title must be at most 3 characters"),
        bad("biz: empty", () -> RequestChecks.biz(""), "biz must be 1..128 characters"),
        bad("biz: blank", () -> RequestChecks.biz("  "), "biz must be 1..128 characters"),
        bad(
            "biz: 129 characters",
            () -> RequestChecks.biz("b".repeat(129)),
            "biz must be 1..128 characters"),
        bad(
            "pageOffset: -1",
            () -> RequestChecks.pageOffset("offset", -1),
            "offset must be >= 0, was -1"),
        bad(
            "pageLimit: 0",
            () -> RequestChecks.pageLimit("limit", 0, 100),
            "limit must be 1..100, was 0"),
        bad(
            "pageLimit: negative",
            () -> RequestChecks.pageLimit("limit", -5, 100),
            "limit must be 1..100, was -5"),
        bad(
            "pageLimit: one over",
            () -> RequestChecks.pageLimit("limit", 101, 100),
            "limit must be 1..100, was 101"),
        bad(
            "itemCount: too few",
            () -> RequestChecks.itemCount("ids", List.of(), 1, 100),
            "ids must hold 1..100 items, had 0"),
        bad(
            "itemCount: too many",
            () -> RequestChecks.itemCount("ids", List.of(1, 2, 3), 1, 2),
            "ids must hold 1..2 items, had 3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectedValuesAnswerInvalidInputNamingTheField(Runnable check, String message) {
    assertThatThrownBy(check::run).isInstanceOf(InvalidInputException.class).hasMessage(message);
  }

  private static Arguments ok(String name, Supplier<Object> check, Object expected) {
    return Arguments.of(Named.of(name, check), expected);
  }

  private static Arguments bad(String name, Runnable check, String message) {
    return Arguments.of(Named.of(name, check), message);
  }
}
