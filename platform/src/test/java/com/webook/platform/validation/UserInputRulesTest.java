package com.webook.platform.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.validation.UserInputRules.ProfileProblem;
import java.time.Instant;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §2.3's user input rules, each on both sides of its boundary. */
class UserInputRulesTest {
  static Stream<Arguments> emails() {
    return Stream.of(
        Arguments.of("simple", "a@qq.com", true),
        Arguments.of("dots, plus and dashes", "first.last+tag@mail-1.example.co", true),
        Arguments.of("255 characters (the column)", "a".repeat(243) + "@example.com", true),
        Arguments.of("256 characters", "a".repeat(244) + "@example.com", false),
        Arguments.of("empty", "", false),
        Arguments.of("no @", "a.qq.com", false),
        Arguments.of("no top-level domain", "a@qq", false),
        Arguments.of("space inside", "a b@qq.com", false),
        Arguments.of("trailing newline", "a@qq.com\n", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("emails")
  void email(String name, String email, boolean valid) {
    assertThat(UserInputRules.isEmail(email)).isEqualTo(valid);
  }

  @Test
  void aHostileEmailIsRejectedByItsLengthBeforeTheRegexBacktracks() {
    String hostile = "a@" + "a.".repeat(5000) + "!";
    assertThat(UserInputRules.isEmail(hostile)).isFalse();
  }

  static Stream<Arguments> passwords() {
    return Stream.of(
        Arguments.of("letter, digit, special", "hello#world123", true),
        Arguments.of("8 characters", "hello#12", true),
        Arguments.of("72 characters", "a1#" + "x".repeat(69), true),
        Arguments.of("7 characters", "hell#12", false),
        Arguments.of("73 characters (bcrypt's limit is 72)", "a1#" + "x".repeat(70), false),
        Arguments.of("no special character", "hello1234", false),
        Arguments.of("no digit", "hello#world", false),
        Arguments.of("no letter", "1234#5678", false),
        Arguments.of("a space", "hello#12 ", false),
        Arguments.of("a non-ASCII letter", "pässwort1$", false),
        Arguments.of("empty", "", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("passwords")
  void password(String name, String password, boolean valid) {
    assertThat(UserInputRules.isPassword(password)).isEqualTo(valid);
  }

  static Stream<Arguments> phones() {
    return Stream.of(
        Arguments.of("13x", "13800138000", true),
        Arguments.of("19x", "19912345678", true),
        Arguments.of("empty", "", false),
        Arguments.of("second digit 2", "12800138000", false),
        Arguments.of("10 digits", "1380013800", false),
        Arguments.of("12 digits", "138001380001", false),
        Arguments.of("country code", "+8613800138000", false),
        Arguments.of("a letter", "1380013800a", false),
        Arguments.of("full-width digits", "１３８００１３８０００", false),
        Arguments.of("leading space", " 13800138000", false),
        Arguments.of("trailing newline", "13800138000\n", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phones")
  void phone(String name, String phone, boolean valid) {
    assertThat(UserInputRules.isPhone(phone)).isEqualTo(valid);
  }

  static Stream<Arguments> profileTexts() {
    return Stream.of(
        Arguments.of("valid", "Tom", "hi", null),
        Arguments.of("empty about me", "Tom", "", null),
        Arguments.of("64 characters", "x".repeat(64), "", null),
        Arguments.of("64 emoji (128 Java chars)", "😀".repeat(64), "", null),
        Arguments.of("1024 characters about me", "Tom", "y".repeat(1024), null),
        Arguments.of("empty nickname", "", "", ProfileProblem.EMPTY_NICKNAME),
        Arguments.of("blank nickname", " \t", "", ProfileProblem.EMPTY_NICKNAME),
        Arguments.of(
            "empty nickname checked first", "", "y".repeat(2000), ProfileProblem.EMPTY_NICKNAME),
        Arguments.of("65 characters", "x".repeat(65), "", ProfileProblem.LONG_NICKNAME),
        Arguments.of("65 emoji", "😀".repeat(65), "", ProfileProblem.LONG_NICKNAME),
        Arguments.of(
            "long nickname checked before about me",
            "x".repeat(65),
            "y".repeat(2000),
            ProfileProblem.LONG_NICKNAME),
        Arguments.of(
            "1025 characters about me", "Tom", "y".repeat(1025), ProfileProblem.LONG_ABOUT_ME));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profileTexts")
  void profileText(String name, String nickname, String aboutMe, ProfileProblem expected) {
    if (expected == null) {
      assertThat(UserInputRules.checkProfileText(nickname, aboutMe)).isEmpty();
    } else {
      assertThat(UserInputRules.checkProfileText(nickname, aboutMe)).contains(expected);
    }
  }

  static Stream<Arguments> birthdayTexts() {
    return Stream.of(
        Arguments.of("a date", "1990-01-02", LocalDate.of(1990, 1, 2)),
        Arguments.of("February 29th of a leap year", "2024-02-29", LocalDate.of(2024, 2, 29)),
        Arguments.of("empty", "", null),
        Arguments.of("not a date", "yesterday", null),
        Arguments.of("no zero padding", "1990-1-2", null),
        Arguments.of("slashes", "1990/01/02", null),
        Arguments.of("February 30th", "1990-02-30", null),
        Arguments.of("February 29th of a common year", "2023-02-29", null),
        Arguments.of("with a time", "1990-01-02 10:00:00", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("birthdayTexts")
  void birthdayText(String name, String text, LocalDate expected) {
    if (expected == null) {
      assertThat(UserInputRules.parseBirthday(text)).isEmpty();
    } else {
      assertThat(UserInputRules.parseBirthday(text)).contains(expected);
    }
  }

  @Test
  void aBirthdayIsNotInTheFuture() {
    LocalDate today = LocalDate.of(2024, 5, 20);
    assertThat(UserInputRules.isBirthday(today.minusYears(30), today)).isTrue();
    assertThat(UserInputRules.isBirthday(today, today)).isTrue();
    assertThat(UserInputRules.isBirthday(today.plusDays(1), today)).isFalse();

    Instant now = Instant.parse("2024-05-20T10:00:00Z");
    assertThat(UserInputRules.isBirthday(Instant.parse("1950-05-04T00:00:00Z"), now)).isTrue();
    assertThat(UserInputRules.isBirthday(now, now)).isTrue();
    assertThat(UserInputRules.isBirthday(now.plusSeconds(1), now)).isFalse();
  }
}
