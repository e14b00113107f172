package com.webook.platform.validation;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one copy of the user input rules of SPEC §2.3 and §4.1: what an email, a password, a phone
 * number, a nickname, an "about me" and a birthday must look like. The BFF ({@code web/UserInput})
 * turns a broken rule into the spec's exact envelope; user-svc ({@code grpc/UserGrpcService} and
 * {@code grpc/CodeGrpcService}) into INVALID_ARGUMENT. Each side keeps its own messages and its own
 * order of checks (the BFF's order is part of the HTTP contract); the rules themselves live only
 * here.
 *
 * <p>Regexes run on whole strings ({@code matches()}, so a trailing newline never passes a {@code
 * $}), and only after a length check: the length bounds the regex's backtracking on hostile input.
 * Lengths count Unicode code points, as the database's {@code VARCHAR(n)} columns do. Stateless and
 * thread-safe.
 */
public final class UserInputRules {
  /** The {@code users.email} column's size. */
  public static final int EMAIL_MAX_CHARS = 255;

  /** bcrypt reads at most 72 bytes; the password regex allows only ASCII, so 72 characters. */
  public static final int PASSWORD_MAX_CHARS = 72;

  /** The {@code users.nickname} column's size. */
  public static final int NICKNAME_MAX_CHARS = 64;

  /** The {@code users.about_me} column's size. */
  public static final int ABOUT_ME_MAX_CHARS = 1024;

  private static final Pattern EMAIL =
      Pattern.compile("^\\w+([-+.]\\w+)*@\\w+([-.]\\w+)*\\.\\w+([-.]\\w+)*$");
  private static final Pattern PASSWORD =
      Pattern.compile("^(?=.*[A-Za-z])(?=.*\\d)(?=.*[$@$!%*#?&])[A-Za-z\\d$@$!%*#?&]{8,72}$");

  /** Mainland China mobile numbers: 11 ASCII digits, {@code 1[3-9]} first. */
  private static final Pattern PHONE = Pattern.compile("^1[3-9]\\d{9}$");

  private static final int PHONE_CHARS = 11;

  /** {@code YYYY-MM-DD}, zero-padded, real calendar dates only (no February 30th). */
  private static final DateTimeFormatter BIRTHDAY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  private UserInputRules() {}

  /** SPEC §2.3's email regex, on at most {@value #EMAIL_MAX_CHARS} characters. */
  public static boolean isEmail(String email) {
    return email.length() <= EMAIL_MAX_CHARS && EMAIL.matcher(email).matches();
  }

  /**
   * SPEC §2.3's password regex: 8 to 72 characters from letters, digits and {@code $@!%*#?&}, with
   * at least one of each kind.
   */
  public static boolean isPassword(String password) {
    return password.length() <= PASSWORD_MAX_CHARS && PASSWORD.matcher(password).matches();
  }

  /** {@code ^1[3-9]\d{9}$}: what SMS login and find-or-create-by-phone accept. */
  public static boolean isPhone(String phone) {
    return phone.length() == PHONE_CHARS && PHONE.matcher(phone).matches();
  }

  /** The ways a profile edit's free text can be wrong, in the order they are checked. */
  public enum ProfileProblem {
    /** The nickname is empty or only whitespace. */
    EMPTY_NICKNAME,
    /** The nickname has more than {@link #NICKNAME_MAX_CHARS} characters. */
    LONG_NICKNAME,
    /** "About me" has more than {@link #ABOUT_ME_MAX_CHARS} characters. */
    LONG_ABOUT_ME
  }

  /**
   * The first problem of a profile edit's nickname and "about me" (SPEC §2.3 order: empty nickname
   * → nickname too long → about me too long), or empty when both are acceptable. An empty "about
   * me" is fine.
   */
  public static Optional<ProfileProblem> checkProfileText(String nickname, String aboutMe) {
    if (nickname.isBlank()) {
      return Optional.of(ProfileProblem.EMPTY_NICKNAME);
    }
    if (chars(nickname) > NICKNAME_MAX_CHARS) {
      return Optional.of(ProfileProblem.LONG_NICKNAME);
    }
    if (chars(aboutMe) > ABOUT_ME_MAX_CHARS) {
      return Optional.of(ProfileProblem.LONG_ABOUT_ME);
    }
    return Optional.empty();
  }

  /** A birthday as the HTTP API sends it: a real {@code YYYY-MM-DD} date, else empty. */
  public static Optional<LocalDate> parseBirthday(String text) {
    try {
      return Optional.of(LocalDate.parse(text, BIRTHDAY));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A birthday is not in the future: {@code today} itself is fine. */
  public static boolean isBirthday(LocalDate birthday, LocalDate today) {
    return !birthday.isAfter(today);
  }

  /**
   * A birthday is not in the future: {@code now} itself is fine. (The BFF sends the start of the
   * chosen day in its zone, which is never after now for a date that is not after today.)
   */
  public static boolean isBirthday(Instant birthday, Instant now) {
    return !birthday.isAfter(now);
  }

  private static int chars(String s) {
    return s.codePointCount(0, s.length());
  }
}
