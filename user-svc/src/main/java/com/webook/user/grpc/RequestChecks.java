package com.webook.user.grpc;

import com.google.protobuf.Timestamp;
import com.webook.platform.errors.InvalidInputException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Request validation shared by the user-svc gRPC services. Every failure is an {@link
 * InvalidInputException} (INVALID_ARGUMENT) whose message names the field; messages never echo
 * secrets (passwords, codes).
 */
final class RequestChecks {
  /** Timestamp's valid range: 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
  private static final long MIN_SECONDS = -62_135_596_800L;

  private static final long MAX_SECONDS = 253_402_300_799L;

  private RequestChecks() {}

  static long positiveId(String field, long id) {
    if (id <= 0) {
      throw new InvalidInputException(field + " must be > 0");
    }
    return id;
  }

  static String notEmpty(String field, String value) {
    if (value.isEmpty()) {
      throw new InvalidInputException(field + " must not be empty");
    }
    return value;
  }

  static String notBlank(String field, String value) {
    if (value.isBlank()) {
      throw new InvalidInputException(field + " must not be empty");
    }
    return value;
  }

  /** Length in Unicode code points (what users call characters, and what VARCHAR(n) counts). */
  static String maxChars(String field, String value, int max) {
    if (value.codePointCount(0, value.length()) > max) {
      throw new InvalidInputException(field + " must be at most " + max + " characters");
    }
    return value;
  }

  /**
   * Whole-string match ({@code matches()}, so a trailing newline never passes a {@code $}). The
   * length is checked first: it bounds the regex's work on hostile input.
   */
  static String matches(String field, String value, int maxLength, Pattern pattern, String rule) {
    if (value.length() > maxLength || !pattern.matcher(value).matches()) {
      throw new InvalidInputException(field + " " + rule);
    }
    return value;
  }

  static Instant instant(String field, Timestamp ts) {
    if (ts.getSeconds() < MIN_SECONDS
        || ts.getSeconds() > MAX_SECONDS
        || ts.getNanos() < 0
        || ts.getNanos() > 999_999_999) {
      throw new InvalidInputException(field + " is not a valid timestamp");
    }
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }
}
