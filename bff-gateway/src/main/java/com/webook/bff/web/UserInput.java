package com.webook.bff.web;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The input rules of the user routes (SPEC §2.3), in the order the spec checks them, each answering
 * with its exact message. Pure functions: the table-driven tests call them directly.
 */
public final class UserInput {
  static final Pattern EMAIL =
      Pattern.compile("^\\w+([-+.]\\w+)*@\\w+([-.]\\w+)*\\.\\w+([-.]\\w+)*$");
  static final Pattern PASSWORD =
      Pattern.compile("^(?=.*[A-Za-z])(?=.*\\d)(?=.*[$@$!%*#?&])[A-Za-z\\d$@$!%*#?&]{8,72}$");
  static final Pattern PHONE = Pattern.compile("^1[3-9]\\d{9}$");

  /** The users.email column; also keeps the regex's backtracking bounded on hostile input. */
  static final int MAX_EMAIL = 255;

  static final int MAX_NICKNAME = 64;
  static final int MAX_ABOUT_ME = 1024;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  static final Result BAD_EMAIL = Result.error(401001, "邮箱格式不对");
  static final Result PASSWORDS_DIFFER = Result.error(401001, "两次输入的密码不一致");
  static final Result BAD_PASSWORD = Result.error(401001, "密码必须包含字母、数字、特殊字符，并且长度在 8 到 72 位之间");
  static final Result BAD_PHONE = Result.error(4, "手机号码格式不对");
  static final Result EMPTY_NICKNAME = Result.error(4, "昵称不能为空");
  static final Result LONG_NICKNAME = Result.error(4, "昵称过长");
  static final Result LONG_ABOUT_ME = Result.error(4, "关于我过长");
  static final Result BAD_DATE = Result.error(4, "日期格式不对");

  private UserInput() {}

  /** Signup: email → passwords equal → password strength. Empty when the input is acceptable. */
  public static Optional<Result> checkSignup(
      String email, String password, String confirmPassword) {
    if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
      return Optional.of(BAD_EMAIL);
    }
    if (!password.equals(confirmPassword)) {
      return Optional.of(PASSWORDS_DIFFER);
    }
    if (!PASSWORD.matcher(password).matches()) {
      return Optional.of(BAD_PASSWORD);
    }
    return Optional.empty();
  }

  public static boolean isPhone(String phone) {
    return PHONE.matcher(phone).matches();
  }

  /** The accepted edit: the three fields that may change. */
  public record Edit(String nickname, LocalDate birthday, String aboutMe) {}

  /** A failed check's answer, or the accepted edit. */
  public sealed interface EditCheck {
    record Rejected(Result result) implements EditCheck {}

    record Accepted(Edit edit) implements EditCheck {}
  }

  /**
   * Edit: nickname empty → nickname too long → aboutMe too long → birthday not a real {@code
   * YYYY-MM-DD} date or after {@code today}. Lengths count characters (code points), as the
   * database columns do.
   */
  public static EditCheck checkEdit(
      String nickname, String birthday, String aboutMe, LocalDate today) {
    if (nickname.isBlank()) {
      return new EditCheck.Rejected(EMPTY_NICKNAME);
    }
    if (nickname.codePointCount(0, nickname.length()) > MAX_NICKNAME) {
      return new EditCheck.Rejected(LONG_NICKNAME);
    }
    if (aboutMe.codePointCount(0, aboutMe.length()) > MAX_ABOUT_ME) {
      return new EditCheck.Rejected(LONG_ABOUT_ME);
    }
    LocalDate date;
    try {
      date = LocalDate.parse(birthday, DATE);
    } catch (DateTimeParseException e) {
      return new EditCheck.Rejected(BAD_DATE);
    }
    if (date.isAfter(today)) {
      return new EditCheck.Rejected(BAD_DATE);
    }
    return new EditCheck.Accepted(new Edit(nickname, date, aboutMe));
  }

  /** Absent JSON fields arrive as null; the rules treat them as empty. */
  static String text(String s) {
    return s == null ? "" : s;
  }
}
