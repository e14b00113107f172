package com.webook.bff.web;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Refuses a body announced larger than {@code http.maxRequestBytes} with 413 before anything reads
 * it. Bodies without a length (chunked) are cut by Javalin's own limit while being read, with the
 * same answer.
 */
public final class BodySizeLimit implements Handler {
  private final long maxBytes;

  public BodySizeLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.req().getContentLengthLong() > maxBytes) {
      throw new ContentTooLargeResponse();
    }
  }

  /**
   * Reads the whole (size-checked) body before any route answers. A route that answers without
   * reading it (a 401 from the login check, a GET that was sent a body) would otherwise leave bytes
   * on the connection; Jetty then closes it after the response without a {@code Connection: close},
   * and a client reusing the connection fails its next request. Javalin caches what was read, so
   * handlers still get the body.
   */
  public static void readUpFront(Context ctx) {
    if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
      ctx.bodyAsBytes();
    }
  }
}
