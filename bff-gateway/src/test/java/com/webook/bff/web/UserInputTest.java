package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The input rules of SPEC §2.3: every message, and the order in which the checks apply. */
class UserInputTest {
  private static final String GOOD = "hello#world123";
  private static final String BAD_EMAIL = "{\"code\":401001,\"msg\":\"邮箱格式不对\",\"data\":null}";
  private static final String DIFFER = "{\"code\":401001,\"msg\":\"两次输入的密码不一致\",\"data\":null}";
  private static final String WEAK =
      "{\"code\":401001,\"msg\":\"密码必须包含字母、数字、特殊字符，并且长度在 8 到 72 位之间\",\"data\":null}";
  private static final Json JSON = new Json();

  static Stream<Arguments> signups() {
    return Stream.of(
        Arguments.of("valid", "a@qq.com", GOOD, GOOD, null),
        Arguments.of(
            "valid with dots, plus and dashes",
            "first.last+tag@mail-1.example.co",
            GOOD,
            GOOD,
            null),
        Arguments.of("empty email", "", GOOD, GOOD, BAD_EMAIL),
        Arguments.of("no @", "a.qq.com", GOOD, GOOD, BAD_EMAIL),
        Arguments.of("no top-level domain", "a@qq", GOOD, GOOD, BAD_EMAIL),
        Arguments.of("space inside", "a b@qq.com", GOOD, GOOD, BAD_EMAIL),
        Arguments.of(
            "longer than the column (255)", "a".repeat(250) + "@qq.com", GOOD, GOOD, BAD_EMAIL),
        Arguments.of("email checked before passwords differ", "bad", GOOD, "other", BAD_EMAIL),
        Arguments.of("passwords differ", "a@qq.com", GOOD, GOOD + "x", DIFFER),
        Arguments.of("confirmation missing", "a@qq.com", GOOD, "", DIFFER),
        Arguments.of("differ checked before strength", "a@qq.com", "weak", "weaker", DIFFER),
        Arguments.of("no special character", "a@qq.com", "hello1234", "hello1234", WEAK),
        Arguments.of("no digit", "a@qq.com", "hello#world", "hello#world", WEAK),
        Arguments.of("no letter", "a@qq.com", "1234#5678", "1234#5678", WEAK),
        Arguments.of("7 characters", "a@qq.com", "hell#12", "hell#12", WEAK),
        Arguments.of("8 characters", "a@qq.com", "hello#12", "hello#12", null),
        Arguments.of(
            "72 characters", "a@qq.com", "a1#" + "x".repeat(69), "a1#" + "x".repeat(69), null),
        Arguments.of(
            "73 characters (bcrypt's limit is 72)",
            "a@qq.com",
            "a1#" + "x".repeat(70),
            "a1#" + "x".repeat(70),
            WEAK),
        Arguments.of(
            "character outside the allowed set", "a@qq.com", "hello#12 ", "hello#12 ", WEAK));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("signups")
  void signup(String name, String email, String password, String confirm, String expected) {
    var result = UserInput.checkSignup(email, password, confirm);
    if (expected == null) {
      assertThat(result).isEmpty();
    } else {
      assertThat(result)
          .hasValueSatisfying(
              r ->
                  assertThat(new String(JSON.bytes(r), StandardCharsets.UTF_8))
                      .isEqualTo(expected));
    }
  }

  @Test
  void overlongEmailIsRejectedBeforeTheRegexRuns() { // the cap bounds the regex's backtracking
    String hostile = "a@" + "a.".repeat(5000) + "!";
    assertThat(UserInput.checkSignup(hostile, GOOD, GOOD)).isPresent();
  }

  static Stream<Arguments> phones() {
    return Stream.of(
        Arguments.of("mobile", "13800138000", true),
        Arguments.of("19x", "19912345678", true),
        Arguments.of("empty", "", false),
        Arguments.of("second digit 2", "12800138000", false),
        Arguments.of("10 digits", "1380013800", false),
        Arguments.of("12 digits", "138001380001", false),
        Arguments.of("with country code", "+8613800138000", false),
        Arguments.of("letters", "1380013800a", false),
        Arguments.of("full-width digits", "１３８００１３８０００", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("phones")
  void phone(String name, String phone, boolean valid) {
    assertThat(UserInput.isPhone(phone)).isEqualTo(valid);
  }

  private static final LocalDate TODAY = LocalDate.of(2024, 5, 20);

  static Stream<Arguments> edits() {
    String ok = "{\"code\":0,\"msg\":\"OK\",\"data\":null}";
    String empty = "{\"code\":4,\"msg\":\"昵称不能为空\",\"data\":null}";
    String longNick = "{\"code\":4,\"msg\":\"昵称过长\",\"data\":null}";
    String longAbout = "{\"code\":4,\"msg\":\"关于我过长\",\"data\":null}";
    String badDate = "{\"code\":4,\"msg\":\"日期格式不对\",\"data\":null}";
    return Stream.of(
        Arguments.of("valid", "Tom", "1990-01-02", "hi", ok),
        Arguments.of("today is not the future", "Tom", "2024-05-20", "", ok),
        Arguments.of("64 characters", "x".repeat(64), "1990-01-02", "", ok),
        Arguments.of("64 Chinese characters count as 64", "汉".repeat(64), "1990-01-02", "", ok),
        Arguments.of("1024 characters about me", "Tom", "1990-01-02", "y".repeat(1024), ok),
        Arguments.of("empty nickname", "", "1990-01-02", "", empty),
        Arguments.of("blank nickname", "   ", "1990-01-02", "", empty),
        Arguments.of("empty nickname checked first", "", "not a date", "y".repeat(2000), empty),
        Arguments.of("65 characters", "x".repeat(65), "1990-01-02", "", longNick),
        Arguments.of(
            "long nickname checked before about me",
            "x".repeat(65),
            "bad",
            "y".repeat(2000),
            longNick),
        Arguments.of("1025 characters about me", "Tom", "1990-01-02", "y".repeat(1025), longAbout),
        Arguments.of("about me checked before the date", "Tom", "bad", "y".repeat(1025), longAbout),
        Arguments.of("empty date", "Tom", "", "", badDate),
        Arguments.of("not a date", "Tom", "yesterday", "", badDate),
        Arguments.of("no zero padding", "Tom", "1990-1-2", "", badDate),
        Arguments.of("slashes", "Tom", "1990/01/02", "", badDate),
        Arguments.of("February 30th", "Tom", "1990-02-30", "", badDate),
        Arguments.of("with a time", "Tom", "1990-01-02 10:00:00", "", badDate),
        Arguments.of("tomorrow", "Tom", "2024-05-21", "", badDate));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edits")
  void edit(String name, String nickname, String birthday, String aboutMe, String expected) {
    var check = UserInput.checkEdit(nickname, birthday, aboutMe, TODAY);
    String answer =
        switch (check) {
          case UserInput.EditCheck.Rejected r ->
              new String(JSON.bytes(r.result()), StandardCharsets.UTF_8);
          case UserInput.EditCheck.Accepted a -> {
            assertThat(a.edit().nickname()).isEqualTo(nickname);
            assertThat(a.edit().aboutMe()).isEqualTo(aboutMe);
            assertThat(a.edit().birthday()).isEqualTo(LocalDate.parse(birthday));
            yield new String(JSON.bytes(UserHandler.EDITED), StandardCharsets.UTF_8);
          }
        };
    assertThat(answer).isEqualTo(expected);
  }
}
