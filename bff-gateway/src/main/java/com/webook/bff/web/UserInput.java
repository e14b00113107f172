package com.webook.bff.web;

import com.webook.platform.validation.UserInputRules;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The input checks of the user routes (SPEC §2.3), in the order the spec checks them, each
 * answering with its exact message. The rules themselves (regexes, lengths, dates) are {@link
 * UserInputRules}, shared with user-svc; this class owns the HTTP side: the order, the envelopes,
 * and the one rule that exists only here (the two passwords must match). Pure functions: the
 * table-driven tests call them directly.
 */
public final class UserInput {
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
    if (!UserInputRules.isEmail(email)) {
      return Optional.of(BAD_EMAIL);
    }
    if (!password.equals(confirmPassword)) {
      return Optional.of(PASSWORDS_DIFFER);
    }
    if (!UserInputRules.isPassword(password)) {
      return Optional.of(BAD_PASSWORD);
    }
    return Optional.empty();
  }

  public static boolean isPhone(String phone) {
    return UserInputRules.isPhone(phone);
  }

  /** The accepted edit: the three fields that may change. */
  public record Edit(String nickname, LocalDate birthday, String aboutMe) {}

  /** A failed check's answer, or the accepted edit. */
  public sealed interface EditCheck {
    /** The first check that failed, as its envelope. */
    record Rejected(Result result) implements EditCheck {}

    /** Every check passed. */
    record Accepted(Edit edit) implements EditCheck {}
  }

  /**
   * Edit: nickname empty → nickname too long → aboutMe too long → birthday not a real {@code
   * YYYY-MM-DD} date or after {@code today}. Lengths count characters (code points), as the
   * database columns do.
   */
  public static EditCheck checkEdit(
      String nickname, String birthday, String aboutMe, LocalDate today) {
    Optional<UserInputRules.ProfileProblem> problem =
        UserInputRules.checkProfileText(nickname, aboutMe);
    if (problem.isPresent()) {
      return new EditCheck.Rejected(
          switch (problem.get()) {
            case EMPTY_NICKNAME -> EMPTY_NICKNAME;
            case LONG_NICKNAME -> LONG_NICKNAME;
            case LONG_ABOUT_ME -> LONG_ABOUT_ME;
          });
    }
    Optional<LocalDate> date = UserInputRules.parseBirthday(birthday);
    if (date.isEmpty() || !UserInputRules.isBirthday(date.get(), today)) {
      return new EditCheck.Rejected(BAD_DATE);
    }
    return new EditCheck.Accepted(new Edit(nickname, date.get(), aboutMe));
  }

  /** Absent JSON fields arrive as null; the rules treat them as empty. */
  static String text(String s) {
    return s == null ? "" : s;
  }
}
