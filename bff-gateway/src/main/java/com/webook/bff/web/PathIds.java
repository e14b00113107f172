package com.webook.bff.web;

import java.util.OptionalLong;

/**
 * Ids in paths (SPEC §2.4): a positive int64 written in ASCII digits, or nothing. Everything else
 * ({@code 0}, {@code -1}, {@code abc}, {@code 9223372036854775808}, {@code +5}, non-ASCII digits,
 * empty) is answered {@code {4,"参数错误"}} by the route, never a 500. Leading zeros are accepted, as
 * Go's {@code strconv.ParseInt} accepts them. Stateless.
 */
final class PathIds {
  static final Result BAD_ID = Result.error(4, "参数错误");

  /** The most digits an int64 has; longer input is refused before parsing. */
  private static final int MAX_DIGITS = 19;

  private PathIds() {}

  static OptionalLong positive(String raw) {
    if (raw == null || raw.isEmpty()) {
      return OptionalLong.empty();
    }
    // Strip leading zeros first so "000…01" is judged by its value, not its length.
    int start = 0;
    while (start < raw.length() - 1 && raw.charAt(start) == '0') {
      start++;
    }
    if (raw.length() - start > MAX_DIGITS) {
      return OptionalLong.empty();
    }
    for (int i = start; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < '0' || c > '9') { // Long.parseLong would also take '+' and non-ASCII digits
        return OptionalLong.empty();
      }
    }
    long id;
    try {
      id = Long.parseLong(raw, start, raw.length(), 10);
    } catch (NumberFormatException e) { // 19 digits above Long.MAX_VALUE
      return OptionalLong.empty();
    }
    return id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
  }
}
