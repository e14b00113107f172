package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.Interactive;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The article routes of SPEC §2.4 through real HTTP and real gRPC (in-process fake article-svc and
 * interactive-svc, logouts in memory, no Redis): every message, every id in a path, every status
 * from article-svc → envelope, the exact VO field sets, the reader view's concurrent counters and
 * its degradation, and the body caps. Answers are compared byte for byte where they are fixed.
 */
class ArticleRoutesTest {
  private static final String PASSWORD = "hello#world123";

  /**
   * The reader view's counter budget here: generous, so the in-time cases never race a busy
   * machine; only the "slower than the budget" case waits it out.
   */
  private static final Duration COUNTERS_TIMEOUT = Duration.ofSeconds(2);

  private static TestBff bff;
  private static String token;
  private static long uid;
  private static String otherToken;
  private static long otherUid;

  @BeforeAll
  static void start() {
    bff =
        TestBff.inMemory(
            Map.of("WEBOOK_ARTICLES_COUNTERS_TIMEOUT", COUNTERS_TIMEOUT.toMillis() + "ms"),
            key -> false);
    token = TestBff.accessToken(bff.signupAndLogin("author@test.com", PASSWORD));
    uid = JWT.decode(token).getClaim("Uid").asLong();
    otherToken = TestBff.accessToken(bff.signupAndLogin("other@test.com", PASSWORD));
    otherUid = JWT.decode(otherToken).getClaim("Uid").asLong();
    bff.articleSvc.authorName(uid, "小明");
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  @BeforeEach
  void heal() {
    bff.articleSvc.calls.heal();
    bff.interactiveSvc.calls.heal();
  }

  private static String env(int code, String msg) {
    return TestBff.envelope(code, msg);
  }

  private static HttpResponse<String> post(String path, String body) {
    return bff.post(path, body, "Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> get(String path, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
    all.addAll(List.of(headers));
    return bff.get(path, all.toArray(String[]::new));
  }

  private static String edit(Long id, String title, String content) {
    return TestBff.toJson(
        id == null
            ? Map.of("title", title, "content", content)
            : Map.of("id", id, "title", title, "content", content));
  }

  /** An article stored directly in the fake (status, author and times as given). */
  private static Article stored(long author, int status, String title, String content) {
    Instant t = Instant.parse("2024-01-02T03:04:05Z");
    return bff.articleSvc.put(
        Article.newBuilder()
            .setId(bff.articleSvc.newId())
            .setTitle(title)
            .setContent(content)
            .setAbstract(FakeArticleSvc.abstractOf(content))
            .setStatus(status)
            .setAuthor(Author.newBuilder().setId(author))
            .setCtime(FakeArticleSvc.ts(t))
            .setUtime(FakeArticleSvc.ts(t.plusSeconds(3600)))
            .build());
  }

  private static long ownDraft() {
    return stored(uid, FakeArticleSvc.UNPUBLISHED, "draft", "<p>text</p>").getId();
  }

  /** The {@code data} of a successful reader view, its shape checked strictly. */
  private static JsonNode readerView(HttpResponse<String> r) {
    JsonNode body = TestBff.json(r);
    assertThat(body.get("code").isInt()).as("code is a JSON number: %s", body).isTrue();
    assertThat(body.get("code").intValue()).as("code: %s", body).isZero();
    assertThat(body.get("msg").textValue()).isEmpty();
    return ArticleVos.assertShape(body.get("data"), ArticleVos.READER_VIEW);
  }

  /** The counters of a reader view without counters (degraded, or none yet): zeros and false. */
  private static void assertZeroCounters(JsonNode view) {
    for (String counter : List.of("readCnt", "likeCnt", "collectCnt")) {
      assertThat(view.get(counter).longValue()).as(counter).isZero();
    }
    assertThat(view.get("liked").booleanValue()).as("liked").isFalse();
    assertThat(view.get("collected").booleanValue()).as("collected").isFalse();
  }

  static Stream<Arguments> messages() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String mib = "a".repeat(1 << 20);
    return Stream.of(
        Arguments.of(
            "edit empty title",
            (Supplier<?>) () -> post("/articles/edit", edit(null, "", "c")),
            env(402001, "标题不能为空")),
        Arguments.of(
            "edit blank title",
            (Supplier<?>) () -> post("/articles/edit", edit(null, " \t ", "c")),
            env(402001, "标题不能为空")),
        Arguments.of(
            "edit without title",
            (Supplier<?>) () -> post("/articles/edit", "{\"content\":\"c\"}"),
            env(402001, "标题不能为空")),
        Arguments.of(
            "edit title of 1025 chars",
            (Supplier<?>) () -> post("/articles/edit", edit(null, "t".repeat(1025), "c")),
            env(402001, "标题过长")),
        Arguments.of(
            "edit title of 1025 code points",
            (Supplier<?>) () -> post("/articles/edit", edit(null, emoji.repeat(1025), "c")),
            env(402001, "标题过长")),
        Arguments.of(
            "edit content over 1 MiB",
            (Supplier<?>) () -> post("/articles/edit", edit(null, "t", mib + "a")),
            env(402001, "内容过长")),
        Arguments.of(
            "edit content over 1 MiB of UTF-8 (fewer chars)",
            (Supplier<?>) () -> post("/articles/edit", edit(null, "t", "文".repeat(349_526))),
            env(402001, "内容过长")),
        Arguments.of(
            "edit title checked before content",
            (Supplier<?>) () -> post("/articles/edit", edit(null, "", mib + "a")),
            env(402001, "标题不能为空")),
        Arguments.of(
            "edit negative id",
            (Supplier<?>) () -> post("/articles/edit", edit(-1L, "t", "c")),
            env(402001, "文章不存在")),
        Arguments.of(
            "edit absent id",
            (Supplier<?>) () -> post("/articles/edit", edit(987_654_321L, "t", "c")),
            env(402001, "文章不存在")),
        Arguments.of(
            "edit someone else's article",
            (Supplier<?>)
                () ->
                    post(
                        "/articles/edit",
                        edit(
                            stored(otherUid, FakeArticleSvc.UNPUBLISHED, "his", "c").getId(),
                            "mine now",
                            "c")),
            env(402001, "文章不存在")),
        Arguments.of(
            "publish empty title",
            (Supplier<?>) () -> post("/articles/publish", edit(null, "", "c")),
            env(402001, "标题不能为空")),
        Arguments.of(
            "publish title of 1025 chars",
            (Supplier<?>) () -> post("/articles/publish", edit(null, "t".repeat(1025), "c")),
            env(402001, "标题过长")),
        Arguments.of(
            "publish content over 1 MiB",
            (Supplier<?>) () -> post("/articles/publish", edit(null, "t", mib + "a")),
            env(402001, "内容过长")),
        Arguments.of(
            "publish negative id",
            (Supplier<?>) () -> post("/articles/publish", edit(-5L, "t", "c")),
            env(402001, "文章不存在")),
        Arguments.of(
            "publish someone else's article",
            (Supplier<?>)
                () ->
                    post(
                        "/articles/publish",
                        edit(
                            stored(otherUid, FakeArticleSvc.PUBLISHED, "his", "c").getId(),
                            "t",
                            "c")),
            env(402001, "文章不存在")),
        Arguments.of(
            "withdraw own article",
            (Supplier<?>) () -> post("/articles/withdraw", "{\"id\":" + ownDraft() + "}"),
            env(0, "OK")),
        Arguments.of(
            "withdraw without id",
            (Supplier<?>) () -> post("/articles/withdraw", "{}"),
            env(402001, "文章不存在")),
        Arguments.of(
            "withdraw id 0",
            (Supplier<?>) () -> post("/articles/withdraw", "{\"id\":0}"),
            env(402001, "文章不存在")),
        Arguments.of(
            "withdraw negative id",
            (Supplier<?>) () -> post("/articles/withdraw", "{\"id\":-3}"),
            env(402001, "文章不存在")),
        Arguments.of(
            "withdraw absent id",
            (Supplier<?>) () -> post("/articles/withdraw", "{\"id\":987654321}"),
            env(402001, "文章不存在")),
        Arguments.of(
            "withdraw someone else's article",
            (Supplier<?>)
                () ->
                    post(
                        "/articles/withdraw",
                        "{\"id\":"
                            + stored(otherUid, FakeArticleSvc.PUBLISHED, "his", "c").getId()
                            + "}"),
            env(402001, "文章不存在")),
        Arguments.of(
            "list limit 0",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":0,\"limit\":0}"),
            env(4, "请求有误")),
        Arguments.of(
            "list limit 101",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":0,\"limit\":101}"),
            env(4, "请求有误")),
        Arguments.of(
            "list negative limit",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":0,\"limit\":-1}"),
            env(4, "请求有误")),
        Arguments.of(
            "list without limit",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":0}"),
            env(4, "请求有误")),
        Arguments.of(
            "list negative offset",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":-1,\"limit\":10}"),
            env(4, "请求有误")),
        Arguments.of(
            "list offset beyond int32",
            (Supplier<?>) () -> post("/articles/list", "{\"offset\":2147483648,\"limit\":10}"),
            env(4, "请求有误")),
        Arguments.of(
            "detail of someone else's article",
            (Supplier<?>)
                () ->
                    get(
                        "/articles/detail/"
                            + stored(otherUid, FakeArticleSvc.UNPUBLISHED, "his", "c").getId()),
            env(4, "输入有误")),
        Arguments.of(
            "detail of someone else's published article",
            (Supplier<?>)
                () ->
                    get(
                        "/articles/detail/"
                            + stored(otherUid, FakeArticleSvc.PUBLISHED, "his", "c").getId()),
            env(4, "输入有误")),
        Arguments.of(
            "detail of an absent article",
            (Supplier<?>) () -> get("/articles/detail/987654321"),
            env(4, "输入有误")),
        Arguments.of(
            "detail of the largest id",
            (Supplier<?>) () -> get("/articles/detail/9223372036854775807"),
            env(4, "输入有误")),
        Arguments.of(
            "reader view of an absent article",
            (Supplier<?>) () -> get("/articles/pub/987654321"),
            env(4, "文章不存在")),
        Arguments.of(
            "reader view of a draft",
            (Supplier<?>)
                () ->
                    get(
                        "/articles/pub/"
                            + stored(uid, FakeArticleSvc.UNPUBLISHED, "draft", "c").getId()),
            env(4, "文章不存在")),
        Arguments.of(
            "reader view of a private article",
            (Supplier<?>)
                () ->
                    get(
                        "/articles/pub/"
                            + stored(uid, FakeArticleSvc.PRIVATE, "gone", "c").getId()),
            env(4, "文章不存在")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void answersWithTheSpecsExactMessages(
      String name, Supplier<HttpResponse<String>> call, String expected) {
    HttpResponse<String> r = call.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).isEqualTo(expected);
  }

  @Test
  void inputRuleFailuresNeverReachArticleSvc() {
    int before = bff.articleSvc.calls.calls("Save").size();
    post("/articles/edit", edit(null, "", "c"));
    post("/articles/edit", edit(null, "t".repeat(1025), "c"));
    post("/articles/edit", edit(-1L, "t", "c"));
    assertThat(bff.articleSvc.calls.calls("Save")).hasSize(before);
  }

  @Test
  void editCreatesThenUpdatesAndAnswersTheIdAsANumber() {
    HttpResponse<String> created =
        post("/articles/edit", edit(null, "标题", "<p>" + "字".repeat(150) + "</p>"));
    JsonNode body = TestBff.json(created);
    assertThat(body.get("data").isIntegralNumber()).as("data is a JSON number").isTrue();
    long id = body.get("data").asLong();
    assertThat(created.body()).isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":" + id + "}");
    SaveRequest saved = bff.articleSvc.calls.requests(SaveRequest.class).getLast();
    assertThat(saved.getArticle().getId()).as("no id: create").isZero();
    assertThat(saved.getArticle().getAuthor().getId()).isEqualTo(uid);
    assertThat(saved.getArticle().getTitle()).isEqualTo("标题");

    HttpResponse<String> updated = post("/articles/edit", edit(id, "标题 2", "新的"));
    assertThat(updated.body()).isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":" + id + "}");
    assertThat(bff.articleSvc.authored(id).orElseThrow().getTitle()).isEqualTo("标题 2");
    assertThat(bff.articleSvc.calls.requests(SaveRequest.class).getLast().getArticle().getId())
        .isEqualTo(id);

    JsonNode idZero = TestBff.json(post("/articles/edit", edit(0L, "third", "c"))).get("data");
    assertThat(idZero.isIntegralNumber()).isTrue();
    assertThat(idZero.longValue()).as("id 0 creates").isNotEqualTo(id);
  }

  @Test
  void editAcceptsTheLimitsExactly() {
    String emoji = "\uD83D\uDE00";
    for (String title : List.of("t".repeat(1024), emoji.repeat(1024))) {
      assertThat(TestBff.json(post("/articles/edit", edit(null, title, "c"))).get("code").asInt())
          .isZero();
    }
    assertThat(
            TestBff.json(post("/articles/edit", edit(null, "t", "a".repeat(1 << 20))))
                .get("code")
                .asInt())
        .as("1 MiB of content")
        .isZero();
    assertThat(TestBff.json(post("/articles/edit", edit(null, "t", ""))).get("code").asInt())
        .as("a draft may be only a title")
        .isZero();
  }

  @Test
  void publishAnswersTheIdAsANumberAndMakesItReadable() {
    long draft = ownDraft();
    HttpResponse<String> r = post("/articles/publish", edit(draft, "公开", "<b>正文</b>"));
    assertThat(r.body()).isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":" + draft + "}");
    assertThat(bff.articleSvc.calls.requests(PublishRequest.class).getLast().getArticle())
        .satisfies(
            a -> {
              assertThat(a.getId()).isEqualTo(draft);
              assertThat(a.getAuthor().getId()).isEqualTo(uid);
            });
    JsonNode view = readerView(get("/articles/pub/" + draft));
    assertThat(view.get("title").textValue()).isEqualTo("公开");

    HttpResponse<String> fresh = post("/articles/publish", edit(null, "new", "c"));
    assertThat(TestBff.json(fresh).get("data").isIntegralNumber()).isTrue();
  }

  @Test
  void withdrawSendsTheCallerAndTheId() {
    long id = stored(uid, FakeArticleSvc.PUBLISHED, "t", "c").getId();
    assertThat(post("/articles/withdraw", "{\"id\":" + id + "}").body()).isEqualTo(env(0, "OK"));
    WithdrawRequest w = bff.articleSvc.calls.requests(WithdrawRequest.class).getLast();
    assertThat(w.getUid()).isEqualTo(uid);
    assertThat(w.getId()).isEqualTo(id);
    assertThat(get("/articles/pub/" + id).body())
        .as("withdrawn: readers no longer see it")
        .isEqualTo(env(4, "文章不存在"));
  }

  @Test
  void listAnswersTheCallersArticlesWithExactlySixFields() {
    String token3 = TestBff.accessToken(bff.signupAndLogin("lister@test.com", PASSWORD));
    long lister = JWT.decode(token3).getClaim("Uid").asLong();
    Instant t = Instant.parse("2024-05-06T07:08:09Z");
    for (int i = 0; i < 3; i++) {
      bff.articleSvc.put(
          Article.newBuilder()
              .setId(bff.articleSvc.newId())
              .setTitle("title " + i)
              .setContent("<p>content " + i + "</p>")
              .setAbstract("content " + i)
              .setStatus(i == 0 ? FakeArticleSvc.PUBLISHED : FakeArticleSvc.UNPUBLISHED)
              .setAuthor(Author.newBuilder().setId(lister))
              .setCtime(FakeArticleSvc.ts(t))
              .setUtime(FakeArticleSvc.ts(t.plusSeconds(60L * i)))
              .build());
    }
    stored(otherUid, FakeArticleSvc.UNPUBLISHED, "not mine", "c");

    HttpResponse<String> r =
        bff.post(
            "/articles/list", "{\"offset\":0,\"limit\":2}", "Authorization", "Bearer " + token3);
    JsonNode body = TestBff.json(r);
    assertThat(body.get("code").asInt()).isZero();
    assertThat(body.get("msg").asText()).isEmpty();
    JsonNode data = body.get("data");
    assertThat(data.isArray()).isTrue();
    assertThat(data).hasSize(2);
    data.forEach(item -> ArticleVos.assertShape(item, ArticleVos.LIST_ITEM));
    assertThat(data.get(0).get("title").textValue()).as("newest change first").isEqualTo("title 2");
    assertThat(data.get(0).get("abstract").textValue()).isEqualTo("content 2");
    assertThat(data.get(0).get("status").intValue()).isEqualTo(FakeArticleSvc.UNPUBLISHED);
    assertThat(data.get(0).get("ctime").textValue()).isEqualTo("2024-05-06 15:08:09");
    assertThat(data.get(0).get("utime").textValue()).isEqualTo("2024-05-06 15:10:09");
    ListRequest sent = bff.articleSvc.calls.requests(ListRequest.class).getLast();
    assertThat(sent.getAuthor()).as("always the caller's own").isEqualTo(lister);
    assertThat(sent.getOffset()).isZero();
    assertThat(sent.getLimit()).isEqualTo(2);

    JsonNode next =
        TestBff.json(
                bff.post(
                    "/articles/list",
                    "{\"offset\":2,\"limit\":100}",
                    "Authorization",
                    "Bearer " + token3))
            .get("data");
    assertThat(next).hasSize(1);
    ArticleVos.assertShape(next.get(0), ArticleVos.LIST_ITEM);
    assertThat(next.get(0).get("title").textValue()).isEqualTo("title 0");
    assertThat(next.get(0).get("status").intValue()).isEqualTo(FakeArticleSvc.PUBLISHED);

    assertThat(
            bff.post(
                    "/articles/list",
                    "{\"offset\":50,\"limit\":1}",
                    "Authorization",
                    "Bearer " + token3)
                .body())
        .as("past the end: an empty list, not null")
        .isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":[]}");
    assertThat(
            TestBff.json(
                    bff.post(
                        "/articles/list", "{\"limit\":1}", "Authorization", "Bearer " + token3))
                .get("data"))
        .as("offset absent: 0")
        .hasSize(1);
  }

  @Test
  void detailAnswersTheOwnArticleWithContent() {
    Article a = stored(uid, FakeArticleSvc.PRIVATE, "私", "<p>" + "长".repeat(120) + "</p>");
    JsonNode body = TestBff.json(get("/articles/detail/" + a.getId()));
    assertThat(body.get("code").asInt()).isZero();
    JsonNode data = ArticleVos.assertShape(body.get("data"), ArticleVos.DETAIL);
    assertThat(data.get("id").longValue()).isEqualTo(a.getId());
    assertThat(data.get("title").textValue()).isEqualTo("私");
    assertThat(data.get("content").textValue()).isEqualTo(a.getContent());
    assertThat(data.get("abstract").textValue()).isEqualTo("长".repeat(100));
    assertThat(data.get("status").intValue()).isEqualTo(FakeArticleSvc.PRIVATE);
    assertThat(data.get("ctime").textValue()).isEqualTo("2024-01-02 11:04:05");
    assertThat(data.get("utime").textValue()).isEqualTo("2024-01-02 12:04:05");
    assertThat(bff.articleSvc.calls.requests(GetByIdRequest.class).getLast().getId())
        .isEqualTo(a.getId());
  }

  @Test
  void readerViewHasTheWholeVoWithCountersFetchedForTheCaller() {
    Article a = stored(uid, FakeArticleSvc.PUBLISHED, "读", "<p>正文</p>");
    bff.interactiveSvc.counters(
        "article",
        a.getId(),
        otherUid,
        Interactive.newBuilder()
            .setBiz("article")
            .setBizId(a.getId())
            .setReadCnt(12)
            .setLikeCnt(5)
            .setCollectCnt(3)
            .setLiked(true)
            .setCollected(true)
            .build());
    HttpResponse<String> r =
        bff.get(
            "/articles/pub/" + a.getId(),
            "Authorization",
            "Bearer " + otherToken,
            "x-route-group",
            "canary");
    JsonNode data = readerView(r);
    assertThat(data.get("id").longValue()).isEqualTo(a.getId());
    assertThat(data.get("title").textValue()).isEqualTo("读");
    assertThat(data.get("abstract").textValue()).isEqualTo("正文");
    assertThat(data.get("content").textValue()).isEqualTo("<p>正文</p>");
    assertThat(data.get("status").intValue()).isEqualTo(FakeArticleSvc.PUBLISHED);
    assertThat(data.get("author").textValue()).as("the author's nickname").isEqualTo("小明");
    assertThat(data.get("authorId").longValue()).isEqualTo(uid);
    assertThat(data.get("ctime").textValue()).isEqualTo("2024-01-02 11:04:05");
    assertThat(data.get("utime").textValue()).isEqualTo("2024-01-02 12:04:05");
    assertThat(data.get("readCnt").longValue()).isEqualTo(12);
    assertThat(data.get("likeCnt").longValue()).isEqualTo(5);
    assertThat(data.get("collectCnt").longValue()).isEqualTo(3);
    assertThat(data.get("liked").booleanValue()).isTrue();
    assertThat(data.get("collected").booleanValue()).isTrue();

    GetPublishedByIdRequest read =
        bff.articleSvc.calls.requests(GetPublishedByIdRequest.class).getLast();
    assertThat(read.getId()).isEqualTo(a.getId());
    assertThat(read.getUid()).as("the reader, for the read event").isEqualTo(otherUid);
    ScriptedCalls.Call counters = bff.interactiveSvc.calls.calls("Get").getLast();
    GetRequest asked = (GetRequest) counters.request();
    assertThat(asked.getBiz()).isEqualTo("article");
    assertThat(asked.getBizId()).isEqualTo(a.getId());
    assertThat(asked.getUid()).isEqualTo(otherUid);
    // The future call was created on the handler thread: it carries the request's route group,
    // and its deadline is the counters budget.
    assertThat(counters.routeGroup()).isEqualTo("canary");
    assertThat(bff.articleSvc.calls.calls("GetPublishedById").getLast().routeGroup())
        .isEqualTo("canary");
    assertThat(counters.deadline()).isNotNull();
    assertThat(counters.deadline().timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS))
        .isLessThanOrEqualTo(COUNTERS_TIMEOUT.toMillis());
  }

  @Test
  void theCountersCallRunsWhileTheArticleCallWaits() {
    Article a = stored(uid, FakeArticleSvc.PUBLISHED, "t", "c");
    bff.interactiveSvc.counters(
        "article", a.getId(), uid, Interactive.newBuilder().setReadCnt(7).build());
    // interactive-svc answers only once article-svc has been asked: a BFF that waited for the
    // counters before asking for the article would get no counters within the budget.
    bff.interactiveSvc.calls.holdUntil("Get", bff.articleSvc.calls.nextCall("GetPublishedById"));
    // And article-svc answers only after the counters were asked for: they were asked first.
    bff.articleSvc.calls.holdUntil("GetPublishedById", bff.interactiveSvc.calls.nextCall("Get"));
    JsonNode data = readerView(get("/articles/pub/" + a.getId()));
    assertThat(data.get("readCnt").longValue()).isEqualTo(7);
  }

  static Stream<Arguments> degradedCounters() {
    return Stream.of(
        Arguments.of("UNIMPLEMENTED (the shell interactive-svc)", "unimplemented"),
        Arguments.of("UNAVAILABLE", "unavailable"),
        Arguments.of("INTERNAL", "internal"),
        Arguments.of("DEADLINE_EXCEEDED", "timeout"),
        Arguments.of("RESOURCE_EXHAUSTED", "resource_exhausted"),
        Arguments.of("slower than the budget", "timeout"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("degradedCounters")
  void failingOrSlowCountersDegradeToZerosAndAreMetered(String failure, String reason) {
    Article a = stored(uid, FakeArticleSvc.PUBLISHED, "still readable", "<p>c</p>");
    if (failure.startsWith("slower")) {
      bff.interactiveSvc.calls.hold("Get"); // answers after the deadline, i.e. never
    } else {
      bff.interactiveSvc.calls.failWith(
          "Get", Status.fromCode(Status.Code.valueOf(failure.replaceFirst(" .*", ""))));
    }
    double before = bff.count("bff.degraded", "dependency", "interactive", "reason", reason);

    JsonNode data = readerView(get("/articles/pub/" + a.getId()));

    assertThat(data.get("title").textValue()).isEqualTo("still readable");
    assertThat(data.get("author").textValue()).isEqualTo("小明");
    assertZeroCounters(data);
    assertThat(bff.count("bff.degraded", "dependency", "interactive", "reason", reason))
        .isEqualTo(before + 1);
  }

  @Test
  void countersNotFoundAreZerosWithoutADegradation() {
    Article a = stored(uid, FakeArticleSvc.PUBLISHED, "never read", "c");
    bff.interactiveSvc.calls.failWith("Get", Status.NOT_FOUND);
    double before = degradedTotal();
    assertZeroCounters(readerView(get("/articles/pub/" + a.getId())));
    assertThat(degradedTotal()).isEqualTo(before);
  }

  @Test
  void anAbsentArticleCancelsTheCountersCallAndIsNotADegradation() {
    bff.interactiveSvc.calls.hold("Get");
    int cancelled = bff.interactiveSvc.calls.cancels("Get").size();
    double before = degradedTotal();
    assertThat(get("/articles/pub/987654321").body()).isEqualTo(env(4, "文章不存在"));
    assertThat(degradedTotal()).isEqualTo(before);
    // The BFF cancels the counters call it no longer needs rather than leave it to its deadline.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> bff.interactiveSvc.calls.cancels("Get").size() > cancelled);
    assertThat(bff.interactiveSvc.calls.cancels("Get").getLast().deadlinePassed())
        .as("cancelled by the BFF, not ended by the deadline")
        .isFalse();
  }

  private static double degradedTotal() {
    return bff.metrics.find("bff.degraded").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  static Stream<Arguments> pathIds() {
    return Stream.of(
            "0",
            "-1",
            "abc",
            "9223372036854775808",
            "99999999999999999999999",
            "1.5",
            "1e3",
            "+5",
            "%20",
            "%D9%A1", // an Arabic-Indic digit one: Long.parseLong would take it
            "12abc",
            "0x10")
        .flatMap(
            id ->
                Stream.of(
                    Arguments.of("/articles/detail/" + id), Arguments.of("/articles/pub/" + id)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pathIds")
  void idsInPathsThatAreNotPositiveInt64sAreBadParameters(String path) {
    int calls = bff.articleSvc.calls.requests(Object.class).size();
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(env(4, "参数错误"));
    assertThat(bff.articleSvc.calls.requests(Object.class))
        .as("article-svc not asked")
        .hasSize(calls);
  }

  @Test
  void emptyIdsInPathsAreBadParametersToo() {
    for (String path :
        List.of("/articles/detail/", "/articles/pub/", "/articles/detail", "/articles/pub")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).isEqualTo(env(4, "参数错误"));
    }
  }

  @Test
  void leadingZerosInAPathIdAreTheSameId() {
    Article a = stored(uid, FakeArticleSvc.UNPUBLISHED, "zeros", "c");
    JsonNode body = TestBff.json(get("/articles/detail/000" + a.getId()));
    assertThat(ArticleVos.assertShape(body.get("data"), ArticleVos.DETAIL).get("id").longValue())
        .isEqualTo(a.getId());
  }

  /** The answer of each route to each status, for every status code article-svc could send. */
  static Stream<Arguments> articleSvcStatuses() {
    String system = env(502001, "系统错误");
    record Route(String name, String method, Supplier<HttpResponse<String>> call) {}
    List<Route> routes =
        List.of(
            new Route("edit", "Save", () -> post("/articles/edit", edit(null, "t", "c"))),
            new Route("publish", "Publish", () -> post("/articles/publish", edit(null, "t", "c"))),
            new Route("withdraw", "Withdraw", () -> post("/articles/withdraw", "{\"id\":42}")),
            new Route("list", "List", () -> post("/articles/list", "{\"offset\":0,\"limit\":10}")),
            new Route("detail", "GetById", () -> get("/articles/detail/42")),
            new Route("pub", "GetPublishedById", () -> get("/articles/pub/42")));
    Map<String, Map<Status.Code, String>> meaningful =
        Map.of(
            "Save", writeAnswers(),
            "Publish", writeAnswers(),
            "Withdraw", writeAnswers(),
            "List", Map.of(Status.Code.INVALID_ARGUMENT, env(4, "请求有误")),
            "GetById",
                Map.of(
                    Status.Code.NOT_FOUND, env(4, "输入有误"),
                    Status.Code.PERMISSION_DENIED, env(4, "输入有误"),
                    Status.Code.INVALID_ARGUMENT, env(4, "输入有误")),
            "GetPublishedById",
                Map.of(
                    Status.Code.NOT_FOUND, env(4, "文章不存在"),
                    Status.Code.PERMISSION_DENIED, env(4, "文章不存在"),
                    Status.Code.INVALID_ARGUMENT, env(4, "参数错误")));
    return routes.stream()
        .flatMap(
            route ->
                Arrays.stream(Status.Code.values())
                    .filter(code -> code != Status.Code.OK)
                    .map(
                        code ->
                            Arguments.of(
                                route.name(),
                                route.method(),
                                code,
                                route.call(),
                                meaningful.get(route.method()).getOrDefault(code, system))));
  }

  private static Map<Status.Code, String> writeAnswers() {
    return Map.of(
        Status.Code.NOT_FOUND, env(402001, "文章不存在"),
        Status.Code.PERMISSION_DENIED, env(402001, "文章不存在"),
        Status.Code.INVALID_ARGUMENT, env(402001, "输入有误"));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("articleSvcStatuses")
  void mapsEveryArticleSvcStatus(
      String route,
      String method,
      Status.Code code,
      Supplier<HttpResponse<String>> call,
      String expected) {
    bff.articleSvc.calls.failWith(
        method, Status.fromCode(code).withDescription("internal detail: shard art-7 down"));
    HttpResponse<String> r = call.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(expected).doesNotContain("art-7");
  }

  @Test
  void writesAreNeverRetried() {
    bff.articleSvc.calls.failWith("Save", Status.UNAVAILABLE);
    int before = bff.articleSvc.calls.calls("Save").size();
    assertThat(post("/articles/edit", edit(null, "t", "c")).body()).isEqualTo(env(502001, "系统错误"));
    assertThat(bff.articleSvc.calls.calls("Save")).hasSize(before + 1);
  }

  /** {@code content} JSON-escaped as badly as JSON allows: every char as a six-byte escape. */
  private static byte[] escapedEdit(String content) {
    StringBuilder b = new StringBuilder("{\"title\":\"t\",\"content\":\"");
    for (int i = 0; i < content.length(); i++) {
      b.append(String.format("\\u%04x", (int) content.charAt(i)));
    }
    return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> postBytes(String path, byte[] body, boolean chunked) {
    return bff.send(
        bff.request(path, "Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(
                chunked
                    ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  @Test
  void articleWritesTakeOneMebibyteOfContentHoweverEscaped() {
    byte[] worst = escapedEdit("\u0001".repeat(1 << 20));
    assertThat(worst.length).as("6 MiB of JSON for 1 MiB of content").isGreaterThan(6 << 20);
    for (String path : List.of("/articles/edit", "/articles/publish")) {
      for (boolean chunked : List.of(false, true)) {
        HttpResponse<String> r = postBytes(path, worst, chunked);
        assertThat(r.statusCode()).as("%s chunked=%s", path, chunked).isEqualTo(200);
        assertThat(TestBff.json(r).get("code").asInt()).isZero();
      }
    }
    byte[] escapedTwoMiB = escapedEdit("a".repeat(350_000)); // ~2 MiB of JSON, 350 KB of content
    assertThat(escapedTwoMiB.length).isGreaterThan(2 << 20);
    assertThat(TestBff.json(postBytes("/articles/edit", escapedTwoMiB, false)).get("code").asInt())
        .isZero();
  }

  @Test
  void bodiesOverTheArticleCapAre413() {
    long cap = bff.config.http().maxArticleRequestBytes();
    byte[] over = new byte[(int) cap + 1];
    Arrays.fill(over, (byte) ' ');
    for (boolean chunked : List.of(false, true)) {
      HttpResponse<String> r = postBytes("/articles/edit", over, chunked);
      assertThat(r.statusCode()).as("chunked=%s", chunked).isEqualTo(413);
      assertThat(r.body()).isEqualTo(env(4, "请求体过大"));
    }
  }

  @Test
  void everyOtherRouteKeepsOneMebibyte() {
    byte[] twoMiB = escapedEdit("a".repeat(350_000));
    for (String path : List.of("/articles/list", "/articles/withdraw", "/users/edit")) {
      for (boolean chunked : List.of(false, true)) {
        HttpResponse<String> r = postBytes(path, twoMiB, chunked);
        assertThat(r.statusCode()).as("%s chunked=%s", path, chunked).isEqualTo(413);
      }
    }
  }

  static Stream<Arguments> articleRoutes() {
    return Stream.of(
        Arguments.of("POST", "/articles/edit"),
        Arguments.of("POST", "/articles/publish"),
        Arguments.of("POST", "/articles/withdraw"),
        Arguments.of("POST", "/articles/list"),
        Arguments.of("GET", "/articles/detail/1"),
        Arguments.of("GET", "/articles/pub/1"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("articleRoutes")
  void everyArticleRouteNeedsALogin(String method, String path) {
    HttpResponse<String> r =
        bff.send(bff.request(path).method(method, HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEmpty();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("edit not JSON", "/articles/edit", "title=t"),
        Arguments.of("edit a number as title", "/articles/edit", "{\"title\":5,\"content\":\"c\"}"),
        Arguments.of("edit an object as id", "/articles/edit", "{\"id\":{},\"title\":\"t\"}"),
        Arguments.of("publish empty body", "/articles/publish", ""),
        Arguments.of("withdraw JSON null", "/articles/withdraw", "null"),
        Arguments.of("list trailing garbage", "/articles/list", "{\"limit\":1} x"),
        Arguments.of("list a string as limit", "/articles/list", "{\"limit\":\"ten\"}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void unparseableBodiesAre400(String name, String path, String body) {
    HttpResponse<String> r = post(path, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo(env(4, "请求格式错误"));
  }
}
