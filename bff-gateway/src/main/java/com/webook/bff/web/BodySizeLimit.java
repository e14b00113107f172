package com.webook.bff.web;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Refuses a body announced larger than {@code http.maxRequestBytes} with 413 before anything
 * reads it. Bodies without a length (chunked) are cut by Javalin's own limit while being read,
 * with the same answer.
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
}
