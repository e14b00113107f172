package com.webook.bff.web;

import io.javalin.http.Context;
import java.util.UUID;

/**
 * Tags every request and response with {@code X-Request-Id}: the client's own if it sent a sane
 * one, else a fresh UUID. Log lines about a request carry it, so a user's report can be traced.
 */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  static final String ATTRIBUTE = "bff.requestId";
  private static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** The first filter of every request. */
  public static void assign(Context ctx) {
    String id = ctx.header(HEADER);
    if (id == null || id.isBlank() || id.length() > MAX_LENGTH || !printable(id)) {
      id = UUID.randomUUID().toString();
    }
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "-" : id;
  }

  // The id is echoed into headers and log lines: keep it to visible ASCII.
  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
