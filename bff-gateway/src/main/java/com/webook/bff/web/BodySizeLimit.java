package com.webook.bff.web;

import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over the route's cap with 413: {@code http.maxRequestBytes} (1 MiB) on
 * every route, except where a path filter from {@link #raisedTo} ran first and allowed more (the
 * article writes, {@code http.maxArticleRequestBytes}). A body announced larger ({@code
 * Content-Length}) is refused before anything is parsed; a body without a length (chunked) is
 * checked once read by {@link #readUpFront}, and Javalin's own limit ({@code maxRequestSize}, set
 * to the largest cap) stops any read beyond that.
 *
 * <p>Why a refused body is still read: a client sends its whole body before it reads the answer. A
 * server that answers and closes while body bytes are still arriving makes the kernel reset the
 * connection (unread data at close is an RST, not a FIN), and the reset throws away the 413 the
 * client had not read yet: the client sees "connection reset" or "no bytes" instead of the answer,
 * now and then, depending on timing. So the rest of a refused body is read and thrown away, up to
 * {@code http.maxDiscardBytes} in all, and the connection stays usable. A body announced larger
 * than that is not read: the 413 goes out at once with {@code Connection: close} (such a client may
 * lose the answer; no route could have taken its body). Thread-safe (immutable).
 */
public final class BodySizeLimit implements Handler {
  static final String CAP = "bff.maxBodyBytes";

  private final long maxBytes;
  private final long maxDiscardBytes;

  /**
   * {@code maxBytes}: the cap of every route no {@link #raisedTo} filter raises; {@code
   * maxDiscardBytes}: how much of a refused body is read and thrown away so that the client gets
   * the 413.
   */
  public BodySizeLimit(long maxBytes, long maxDiscardBytes) {
    this.maxBytes = maxBytes;
    this.maxDiscardBytes = maxDiscardBytes;
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
    long length = ctx.req().getContentLengthLong();
    if (length > capOf(ctx)) {
      if (length > maxDiscardBytes) {
        ctx.header("Connection", "close");
      } else {
        discardRest(ctx, length);
      }
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
      byte[] body;
      try {
        body = ctx.bodyAsBytes();
      } catch (HttpResponseException e) {
        if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
          // Javalin stopped reading at its limit (the largest cap) with more to come.
          discardRest(ctx, maxDiscardBytes);
          throw new ContentTooLargeResponse();
        }
        throw e;
      }
      if (body.length > capOf(ctx)) {
        throw new ContentTooLargeResponse();
      }
    }
  }

  /**
   * Reads and drops what is left of the body, at most {@code budget} bytes (and never more than
   * {@code http.maxDiscardBytes}). If the body goes on past that, or reading fails, the answer
   * closes the connection.
   */
  private void discardRest(Context ctx, long budget) {
    long left = Math.min(budget, maxDiscardBytes);
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = ctx.req().getInputStream();
      while (left >= 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left + 1));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // The client went away or the body is malformed: nothing left to protect.
    }
    ctx.header("Connection", "close");
  }
}
