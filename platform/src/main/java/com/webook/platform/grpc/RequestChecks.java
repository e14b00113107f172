package com.webook.platform.grpc;

import com.webook.platform.errors.InvalidInputException;
import java.util.List;

/**
 * The request checks every gRPC handler makes before it calls its service (SPEC §3: "every server
 * validates its requests: ids > 0, biz non-empty and ≤ 128 chars, limit bounds"). Each check
 * returns the value it accepted, so a handler reads {@code long id = positiveId("id",
 * request.getId());}, and rejects with an {@link InvalidInputException} (INVALID_ARGUMENT) whose
 * message names the field and the rule. String values are never echoed (they may be passwords or
 * codes); numbers are.
 *
 * <p>Lengths count Unicode code points — what users call characters, and what a MariaDB {@code
 * VARCHAR(n)} counts — so 64 emoji are a 64-character nickname although they take 128 Java chars.
 * Stateless and thread-safe.
 */
public final class RequestChecks {
  /** SPEC §3: a business tag ({@code biz}: "article", "login" …) is 1 to 128 characters. */
  public static final int BIZ_MAX_CHARS = 128;

  private RequestChecks() {}

  /** {@code value} if it is {@code > 0} (ids are positive int64, SPEC §3). */
  public static long positiveId(String name, long value) {
    if (value <= 0) {
      throw new InvalidInputException(name + " must be > 0, was " + value);
    }
    return value;
  }

  /** {@code value} if it is not the empty string (proto3's "unset"). */
  public static String notEmpty(String name, String value) {
    if (value.isEmpty()) {
      throw new InvalidInputException(name + " must not be empty");
    }
    return value;
  }

  /** {@code value} if it has a character other than whitespace. */
  public static String nonBlank(String name, String value) {
    if (value.isBlank()) {
      throw new InvalidInputException(name + " must not be empty");
    }
    return value;
  }

  /** {@code value} if it has at most {@code max} characters (code points). */
  public static String maxChars(String name, String value, int max) {
    if (codePoints(value) > max) {
      throw new InvalidInputException(name + " must be at most " + max + " characters");
    }
    return value;
  }

  /** A business tag ({@code biz}): not blank, at most {@value #BIZ_MAX_CHARS} characters. */
  public static String biz(String value) {
    if (value.isBlank() || codePoints(value) > BIZ_MAX_CHARS) {
      throw new InvalidInputException("biz must be 1.." + BIZ_MAX_CHARS + " characters");
    }
    return value;
  }

  /** A page's offset: {@code >= 0}. */
  public static int pageOffset(String name, int value) {
    if (value < 0) {
      throw new InvalidInputException(name + " must be >= 0, was " + value);
    }
    return value;
  }

  /** A page's size: {@code 1 <= value <= max}. */
  public static int pageLimit(String name, int value, int max) {
    if (value < 1 || value > max) {
      throw new InvalidInputException(name + " must be 1.." + max + ", was " + value);
    }
    return value;
  }

  /** {@code items} if it holds {@code min} to {@code max} elements (a batch of ids, numbers …). */
  public static <T> List<T> itemCount(String name, List<T> items, int min, int max) {
    if (items.size() < min || items.size() > max) {
      throw new InvalidInputException(
          name + " must hold " + min + ".." + max + " items, had " + items.size());
    }
    return items;
  }

  private static int codePoints(String value) {
    return value.codePointCount(0, value.length());
  }
}
