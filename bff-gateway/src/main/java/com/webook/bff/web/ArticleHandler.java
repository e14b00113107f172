package com.webook.bff.web;

import static com.webook.bff.web.UserInput.text;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.webook.bff.client.ArticleClient;
import com.webook.bff.client.InteractiveClient;
import com.webook.bff.domain.Article;
import com.webook.bff.domain.ArticleDraft;
import com.webook.bff.domain.Counters;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.validation.ArticleInputRules;
import com.webook.platform.validation.ArticleInputRules.ArticleProblem;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code /articles/*} routes of SPEC §2.4 but like/collect ({@link InteractionHandler}) and
 * ranking: an author's drafts, publishing, withdrawing, their list and detail, and the reader view.
 * Each method reads its request, applies the spec's checks, calls article-svc (and interactive-svc
 * for the reader view) and answers with the spec's envelope. Failures the user cannot act on
 * propagate to {@link ErrorMapping}, which answers the routes' {@link SystemError#ARTICLE}.
 * Thread-safe (stateless but for the {@link Degradation} counters).
 */
public final class ArticleHandler {
  /** The interactive-svc business of articles. */
  static final String BIZ = "article";

  /** The dependency the reader view degrades without, as tagged in {@code bff_degraded_total}. */
  static final String COUNTERS = "interactive";

  /** The degradations this handler can report, registered at zero so dashboards see them. */
  public static final Map<String, List<String>> DEGRADATIONS =
      Map.of(COUNTERS, List.of(Degradation.TIMEOUT, "unavailable", "unimplemented", "internal"));

  static final Result EMPTY_TITLE = Result.error(402001, "标题不能为空");
  static final Result LONG_TITLE = Result.error(402001, "标题过长");
  static final Result LONG_CONTENT = Result.error(402001, "内容过长");
  static final Result NO_SUCH_ARTICLE = Result.error(402001, "文章不存在");
  static final Result WRITE_REJECTED = Result.error(402001, "输入有误");
  static final Result WITHDRAWN = Result.ok("OK");
  static final Result BAD_PAGE = Result.error(4, "请求有误");
  static final Result NOT_YOURS = Result.error(4, "输入有误");
  static final Result NOT_PUBLISHED = Result.error(4, "文章不存在");

  /** The page size bounds of {@code /articles/list}. */
  static final int MAX_LIMIT = 100;

  /** {@code id} absent or 0 creates; every field may be missing (then empty). */
  record EditRequest(Long id, String title, String content) {}

  record WithdrawRequest(Long id) {}

  /** Long, so an offset beyond int32 is a bad page ({@code {4,…}}), not a bad body (400). */
  record ListRequest(Long offset, Long limit) {}

  /** An item of {@code /articles/list}: exactly these six fields. */
  @JsonPropertyOrder({"id", "title", "abstract", "status", "ctime", "utime"})
  record ListItem(
      long id,
      String title,
      @JsonProperty("abstract") String abstractText,
      int status,
      String ctime,
      String utime) {}

  /**
   * {@code /articles/detail/{id}}: a list item with the content (the author knows who wrote it).
   */
  @JsonPropertyOrder({"id", "title", "abstract", "content", "status", "ctime", "utime"})
  record Detail(
      long id,
      String title,
      @JsonProperty("abstract") String abstractText,
      String content,
      int status,
      String ctime,
      String utime) {}

  /** {@code /articles/pub/{id}}: the whole article VO of SPEC §2.4. */
  @JsonPropertyOrder({
    "id",
    "title",
    "abstract",
    "content",
    "status",
    "author",
    "authorId",
    "ctime",
    "utime",
    "readCnt",
    "likeCnt",
    "collectCnt",
    "liked",
    "collected"
  })
  record ReaderView(
      long id,
      String title,
      @JsonProperty("abstract") String abstractText,
      String content,
      int status,
      String author,
      long authorId,
      String ctime,
      String utime,
      long readCnt,
      long likeCnt,
      long collectCnt,
      boolean liked,
      boolean collected) {}

  private final ArticleClient articles;
  private final InteractiveClient interactive;
  private final Json json;
  private final VoTime time;
  private final Duration countersTimeout;
  private final Degradation degradation;

  /**
   * @param countersTimeout how long the reader view waits for the counters, from the moment it asks
   *     for them (also that call's deadline)
   */
  public ArticleHandler(
      ArticleClient articles,
      InteractiveClient interactive,
      Json json,
      VoTime time,
      Duration countersTimeout,
      Degradation degradation) {
    this.articles = articles;
    this.interactive = interactive;
    this.json = json;
    this.time = time;
    this.countersTimeout = countersTimeout;
    this.degradation = degradation;
  }

  /** POST /articles/edit: save a draft → {@code {0,"",id}}. */
  public void edit(Context ctx) {
    write(ctx, false);
  }

  /** POST /articles/publish → {@code {0,"",id}}. */
  public void publish(Context ctx) {
    write(ctx, true);
  }

  private void write(Context ctx, boolean publish) {
    EditRequest req = json.read(ctx, EditRequest.class);
    String title = text(req.title());
    String content = text(req.content());
    Optional<ArticleProblem> problem = ArticleInputRules.check(title, content);
    if (problem.isPresent()) {
      json.write(ctx, answerTo(problem.get()));
      return;
    }
    long id = req.id() == null ? 0 : req.id();
    if (id < 0) { // no article has it: what article-svc would say about any id not the author's
      json.write(ctx, NO_SUCH_ARTICLE);
      return;
    }
    ArticleDraft draft = new ArticleDraft(id, LoginTokens.claims(ctx).uid(), title, content);
    long saved;
    try {
      saved = publish ? articles.publish(draft) : articles.save(draft);
    } catch (NotFoundException | PermissionDeniedException e) { // absent and not own look alike
      json.write(ctx, NO_SUCH_ARTICLE);
      return;
    } catch (InvalidInputException e) {
      json.write(ctx, WRITE_REJECTED);
      return;
    }
    json.write(ctx, Result.ok("", saved));
  }

  /** POST /articles/withdraw → {@code {0,"OK"}}. */
  public void withdraw(Context ctx) {
    WithdrawRequest req = json.read(ctx, WithdrawRequest.class);
    long id = req.id() == null ? 0 : req.id();
    if (id <= 0) {
      json.write(ctx, NO_SUCH_ARTICLE);
      return;
    }
    try {
      articles.withdraw(LoginTokens.claims(ctx).uid(), id);
    } catch (NotFoundException | PermissionDeniedException e) {
      json.write(ctx, NO_SUCH_ARTICLE);
      return;
    } catch (InvalidInputException e) {
      json.write(ctx, WRITE_REJECTED);
      return;
    }
    json.write(ctx, WITHDRAWN);
  }

  /** POST /articles/list: the caller's own articles, newest change first. */
  public void list(Context ctx) {
    ListRequest req = json.read(ctx, ListRequest.class);
    long offset = req.offset() == null ? 0 : req.offset();
    long limit = req.limit() == null ? 0 : req.limit();
    if (limit < 1 || limit > MAX_LIMIT || offset < 0 || offset > Integer.MAX_VALUE) {
      json.write(ctx, BAD_PAGE);
      return;
    }
    List<Article> page;
    try {
      page = articles.list(LoginTokens.claims(ctx).uid(), (int) offset, (int) limit);
    } catch (InvalidInputException e) {
      json.write(ctx, BAD_PAGE);
      return;
    }
    json.write(
        ctx,
        Result.ok(
            "",
            page.stream()
                .map(
                    a ->
                        new ListItem(
                            a.id(),
                            a.title(),
                            a.abstractText(),
                            a.status(),
                            time.dateTime(a.ctime()),
                            time.dateTime(a.utime())))
                .toList()));
  }

  /**
   * GET /articles/detail/{id}: the caller's own article. GetById has no caller, so the author is
   * checked here; someone else's article and an absent one get the same answer (never reveal
   * which).
   */
  public void detail(Context ctx) {
    OptionalLong id = PathIds.positive(ctx.pathParam("id"));
    if (id.isEmpty()) {
      json.write(ctx, PathIds.BAD_ID);
      return;
    }
    Article a;
    try {
      a = articles.getById(id.getAsLong());
    } catch (NotFoundException | PermissionDeniedException | InvalidInputException e) {
      json.write(ctx, NOT_YOURS);
      return;
    }
    if (!a.isBy(LoginTokens.claims(ctx).uid())) {
      json.write(ctx, NOT_YOURS);
      return;
    }
    json.write(
        ctx,
        Result.ok(
            "",
            new Detail(
                a.id(),
                a.title(),
                a.abstractText(),
                a.content(),
                a.status(),
                time.dateTime(a.ctime()),
                time.dateTime(a.utime()))));
  }

  /**
   * GET /articles/detail and /articles/pub (also reached with a trailing slash): the id is empty,
   * which SPEC §2.4 answers like any other id that is not a positive int64.
   */
  public void emptyId(Context ctx) {
    json.write(ctx, PathIds.BAD_ID);
  }

  /**
   * GET /articles/pub/{id}: the reader view. The counters are asked for first, without waiting, so
   * they are fetched while the article call blocks; then the article (article-svc emits the read
   * event); then the counters are awaited for what is left of {@code countersTimeout}. Counters
   * that fail, are unavailable or late make the article go out with zero counts, counted and logged
   * by {@link Degradation}: the article is what the reader came for.
   */
  public void readerView(Context ctx) {
    OptionalLong parsed = PathIds.positive(ctx.pathParam("id"));
    if (parsed.isEmpty()) {
      json.write(ctx, PathIds.BAD_ID);
      return;
    }
    long id = parsed.getAsLong();
    long uid = LoginTokens.claims(ctx).uid();
    long askedAt = System.nanoTime();
    // Created here, on the handler thread: the call carries its route group and deadline.
    CompletableFuture<Counters> counters = interactive.get(BIZ, id, uid, countersTimeout);
    Article a;
    try {
      a = articles.getPublishedById(id, uid);
    } catch (NotFoundException | PermissionDeniedException e) {
      counters.cancel(false);
      json.write(ctx, NOT_PUBLISHED);
      return;
    } catch (InvalidInputException e) { // article-svc disagrees with PathIds about the id
      counters.cancel(false);
      json.write(ctx, PathIds.BAD_ID);
      return;
    } catch (RuntimeException e) { // a system error: nobody will read the counters
      counters.cancel(false);
      throw e;
    }
    Counters c = await(ctx, counters, askedAt);
    json.write(
        ctx,
        Result.ok(
            "",
            new ReaderView(
                a.id(),
                a.title(),
                a.abstractText(),
                a.content(),
                a.status(),
                a.author().name(),
                a.author().id(),
                time.dateTime(a.ctime()),
                time.dateTime(a.utime()),
                c.readCnt(),
                c.likeCnt(),
                c.collectCnt(),
                c.liked(),
                c.collected())));
  }

  /** The counters if they arrive within the budget counted from {@code askedAt}, else zeros. */
  private Counters await(Context ctx, CompletableFuture<Counters> counters, long askedAt) {
    long left = countersTimeout.toNanos() - (System.nanoTime() - askedAt);
    try {
      return counters.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      counters.cancel(false);
      degradation.record(
          COUNTERS,
          Degradation.TIMEOUT,
          RequestIds.of(ctx),
          "interactive.Get: no answer within " + countersTimeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      Throwable failure = e.getCause();
      if (failure instanceof NotFoundException) {
        return Counters.NONE; // no counters yet: zeros are the truth, not a degradation
      }
      degradation.record(
          COUNTERS, Degradation.reasonOf(failure), RequestIds.of(ctx), failure.toString());
    } catch (InterruptedException e) { // the server is stopping: answer with what we have
      Thread.currentThread().interrupt();
      counters.cancel(false);
      degradation.record(COUNTERS, "interrupted", RequestIds.of(ctx), "interrupted while waiting");
    }
    return Counters.NONE;
  }

  private static Result answerTo(ArticleProblem problem) {
    return switch (problem) {
      case EMPTY_TITLE -> EMPTY_TITLE;
      case LONG_TITLE -> LONG_TITLE;
      case LONG_CONTENT -> LONG_CONTENT;
    };
  }
}
