package com.webook.bff.web;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;

/**
 * Every response body leaves through here, so the access log and the metrics know its size, its
 * envelope code and (when body logging is on) its content.
 */
public final class Responses {
  static final String BODY = "bff.responseBody";
  static final String RESULT_CODE = "bff.resultCode";

  private Responses() {}

  public static void bytes(Context ctx, String contentType, byte[] body) {
    ctx.attribute(BODY, body);
    ctx.contentType(contentType);
    ctx.result(body);
  }

  public static void text(Context ctx, String text) {
    bytes(ctx, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A status with an empty body (401, 429, preflights). */
  public static void empty(Context ctx, int status) {
    ctx.status(status);
    ctx.attribute(BODY, new byte[0]);
    ctx.result(new byte[0]);
  }

  static byte[] body(Context ctx) {
    byte[] body = ctx.attribute(BODY);
    return body == null ? new byte[0] : body;
  }

  static Integer resultCode(Context ctx) {
    return ctx.attribute(RESULT_CODE);
  }
}
