package com.webook.bff.web;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Refuses request bodies over the route's cap with 413: {@code http.maxRequestBytes} (1 MiB) on
 * every route, except where a path filter from {@link #raisedTo} ran first and allowed more (the
 * article writes, {@code http.maxArticleRequestBytes}). A body announced larger ({@code
 * Content-Length}) is refused before anything reads it; a body without a length (chunked) is
 * checked once read by {@link #readUpFront}, and Javalin's own limit ({@code maxRequestSize}, set
 * to the largest cap) stops any read beyond that. Thread-safe (immutable).
 */
public final class BodySizeLimit implements Handler {
  static final String CAP = "bff.maxBodyBytes";

  private final long maxBytes;

  /** {@code maxBytes}: the cap of every route no {@link #raisedTo} filter raises. */
  public BodySizeLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * A filter raising the cap to {@code bytes} for the requests it runs on: register it for the
   * paths that need it ({@code before(path, …)}, which matches paths as the routes do), before this
   * filter.
   */
  public Handler raisedTo(long bytes) {
    return ctx -> ctx.attribute(CAP, bytes);
  }

  /** The cap of this request. */
  long capOf(Context ctx) {
    Long raised = ctx.attribute(CAP);
    return raised == null ? maxBytes : raised;
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.req().getContentLengthLong() > capOf(ctx)) {
      throw new ContentTooLargeResponse();
    }
  }

  /**
   * Reads the whole (size-checked) body before any route answers. A route that answers without
   * reading it (a 401 from the login check, a GET that was sent a body) would otherwise leave bytes
   * on the connection; Jetty then closes it after the response without a {@code Connection: close},
   * and a client reusing the connection fails its next request. Javalin caches what was read, so
   * handlers still get the body. A chunked body only now shows its size: over the cap, 413.
   */
  public void readUpFront(Context ctx) {
    if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
      if (ctx.bodyAsBytes().length > capOf(ctx)) {
        throw new ContentTooLargeResponse();
      }
    }
  }
}
