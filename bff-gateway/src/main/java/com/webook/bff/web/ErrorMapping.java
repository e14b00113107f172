package com.webook.bff.web;

import com.webook.bff.jwt.TokenRejectedException;
import com.webook.platform.errors.DomainException;
import com.webook.platform.errors.DownstreamException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place exceptions become HTTP answers (SPEC §2.1). Handlers answer the outcomes the spec
 * names themselves; whatever reaches this class is mapped once:
 *
 * <ul>
 *   <li>unparseable body → 400 {@code {4,"请求格式错误"}};
 *   <li>rejected token → 401, empty body;
 *   <li>body too large → 413 {@code {4,"请求体过大"}}; 429 (rate limited), 404, 405 → that status, empty
 *       body;
 *   <li>anything else (downstream unavailable, deadline, internal, a bug) → 200 with the route's
 *       {@link SystemError}, details only in the log, tagged with the request id.
 * </ul>
 */
public final class ErrorMapping {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapping.class);
  static final String SYSTEM_ERROR = "bff.systemError";
  static final Result BAD_BODY = Result.error(4, "请求格式错误");
  static final Result TOO_LARGE = Result.error(4, "请求体过大");

  /** An HTTP answer: a status and an envelope, or no body at all. */
  public record Reply(int status, Result body) {}

  private final Json json;

  public ErrorMapping(Json json) {
    this.json = json;
  }

  /**
   * Records which {@link SystemError} the current route answers with (set before its handler runs).
   */
  public static void declare(Context ctx, SystemError systemError) {
    ctx.attribute(SYSTEM_ERROR, systemError);
  }

  /** Pure: the answer to {@code error} on a route whose system error is {@code systemError}. */
  public static Reply map(Throwable error, SystemError systemError) {
    return switch (error) {
      case BadRequestBodyException e -> new Reply(400, BAD_BODY);
      case TokenRejectedException e -> new Reply(401, null);
      case HttpResponseException e when e.getStatus() == 413 -> new Reply(413, TOO_LARGE);
      case HttpResponseException e when e.getStatus() >= 400 && e.getStatus() < 500 ->
          new Reply(e.getStatus(), null);
      default -> new Reply(200, systemError.result());
    };
  }

  /** The Javalin exception handler for {@link Exception}. */
  public void handle(Exception error, Context ctx) {
    SystemError systemError = ctx.attribute(SYSTEM_ERROR);
    Reply reply = map(error, systemError == null ? SystemError.GENERIC : systemError);
    logFailure(error, ctx, reply);
    if (reply.status() == 429 && hasUnreadBody(ctx)) {
      // Refused before its body was read (every other answer comes after
      // BodySizeLimit.readUpFront, and a 413 has BodySizeLimit decide): the body of a client
      // over its rate is not worth reading, so the connection ends here; say so.
      ctx.header("Connection", "close");
    }
    if (reply.body() == null) {
      Responses.empty(ctx, reply.status());
    } else {
      ctx.status(reply.status());
      json.write(ctx, reply.body());
    }
  }

  private static boolean hasUnreadBody(Context ctx) {
    return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
  }

  private static void logFailure(Exception error, Context ctx, Reply reply) {
    if (reply.status() != 200) {
      return; // client-side outcomes: the access log has them
    }
    String id = RequestIds.of(ctx);
    switch (error) {
      case DownstreamException e ->
          log.warn("request {} {} {}: {}", id, ctx.method(), ctx.path(), e.getMessage());
      case DomainException e ->
          log.warn(
              "request {} {} {}: unexpected {} from downstream: {}",
              id,
              ctx.method(),
              ctx.path(),
              e.getClass().getSimpleName(),
              e.getMessage());
      default ->
          log.error("request {} {} {}: unexpected error", id, ctx.method(), ctx.path(), error);
    }
  }
}
