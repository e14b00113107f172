package com.webook.bff.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.bff.client.InteractiveClient;
import com.webook.platform.errors.InvalidInputException;
import io.javalin.http.Context;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The reader's writes on an article, SPEC §2.4: {@code POST /articles/pub/like} and {@code POST
 * /articles/pub/collect}, both on interactive-svc's {@code intr.v1} for the caller (the token's
 * uid) and biz {@link ArticleHandler#BIZ}.
 *
 * <p>Its own class rather than two more methods of {@link ArticleHandler}: it needs only
 * interactive-svc (ArticleHandler is article-svc plus the reader view's counters, with their
 * degradation), and its failure rule is the opposite of the reader view's. A reader view without
 * counters still shows the article; a like that did not happen must not answer OK, so nothing here
 * is degraded: every failure the user cannot act on (UNAVAILABLE, DEADLINE_EXCEEDED, INTERNAL,
 * UNIMPLEMENTED …) propagates to {@link ErrorMapping}, which answers the routes' {@link
 * SystemError#ARTICLE} {@code {502001,"系统错误"}} with HTTP 200.
 *
 * <p>The article is not looked up first: interactive-svc keys its records and counters by (biz,
 * id), so a like on an id that is not a published article harms nobody (no reader view shows it),
 * while checking would cost an article-svc call on every like.
 *
 * <p>Thread-safe (stateless).
 */
public final class InteractionHandler {
  static final Result DONE = Result.ok("OK");

  /** An id, {@code like} or {@code cid} the route cannot use; the answer of bad ids in paths. */
  static final Result BAD_PARAMETER = PathIds.BAD_ID;

  /** Both fields are JSON trees: {@link BodyFields} decides what an id and a boolean are. */
  record LikeRequest(JsonNode id, JsonNode like) {}

  record CollectRequest(JsonNode id, JsonNode cid) {}

  private final InteractiveClient interactive;
  private final Json json;

  public InteractionHandler(InteractiveClient interactive, Json json) {
    this.interactive = interactive;
    this.json = json;
  }

  /**
   * POST /articles/pub/like {@code {id, like}}: {@code like: true} likes, {@code false} takes the
   * like back → {@code {0,"OK"}}. A missing or null {@code like} is {@code {4,"参数错误"}}: a client
   * that forgot the field must not cancel a like by accident.
   */
  public void like(Context ctx) {
    LikeRequest req = json.read(ctx, LikeRequest.class);
    // Both fields first: a field of the wrong JSON type makes the body a 400 whatever the other.
    OptionalLong id = BodyFields.positiveInt64("id", req.id());
    Optional<Boolean> like = BodyFields.bool("like", req.like());
    if (id.isEmpty() || like.isEmpty()) {
      json.write(ctx, BAD_PARAMETER);
      return;
    }
    long uid = LoginTokens.claims(ctx).uid();
    try {
      if (like.get()) {
        interactive.like(ArticleHandler.BIZ, id.getAsLong(), uid);
      } else {
        interactive.cancelLike(ArticleHandler.BIZ, id.getAsLong(), uid);
      }
    } catch (InvalidInputException e) { // interactive-svc disagrees with the BFF's checks
      json.write(ctx, BAD_PARAMETER);
      return;
    }
    json.write(ctx, DONE);
  }

  /**
   * POST /articles/pub/collect {@code {id, cid}}: into the caller's folder {@code cid} (absent or
   * null: 0, the default folder) → {@code {0,"OK"}}, also when already collected (interactive-svc
   * makes Collect idempotent). A negative {@code cid} is {@code {4,"参数错误"}}. Whether folder {@code
   * cid} exists and is the caller's is interactive-svc's to check.
   */
  public void collect(Context ctx) {
    CollectRequest req = json.read(ctx, CollectRequest.class);
    OptionalLong id = BodyFields.positiveInt64("id", req.id());
    OptionalLong cid = BodyFields.nonNegativeInt64("cid", req.cid(), 0);
    if (id.isEmpty() || cid.isEmpty()) {
      json.write(ctx, BAD_PARAMETER);
      return;
    }
    try {
      interactive.collect(
          ArticleHandler.BIZ, id.getAsLong(), LoginTokens.claims(ctx).uid(), cid.getAsLong());
    } catch (InvalidInputException e) {
      json.write(ctx, BAD_PARAMETER);
      return;
    }
    json.write(ctx, DONE);
  }
}
