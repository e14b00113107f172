package com.webook.article;

import static com.webook.article.repository.dao.jooq.Tables.ARTICLES;
import static com.webook.article.repository.dao.jooq.Tables.PUBLISHED_ARTICLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc.ArticleServiceBlockingStub;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.ListPubRequest;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.article.client.UserServiceAuthorNames;
import com.webook.article.repository.AuthorNames;
import com.webook.article.service.ContentSanitizer;
import com.webook.article.testing.ArticleStack;
import com.webook.article.testing.ContentSafetyCases;
import com.webook.platform.grpc.ProtoTimestamps;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jooq.CloseableDSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * article-svc through its real gRPC server, on the real MariaDB, Redis and Kafka, finding a fake
 * user-svc through etcd (SPEC §5): the author's and the reader's paths, ownership, validation,
 * stored XSS through every read (the cases of {@code ContentSanitizerTest}), concurrency of publish
 * and withdraw, and no remote call inside a transaction.
 */
class ArticleServiceIT {
  private static final AtomicLong AUTHORS =
      new AtomicLong(1_000_000L + ThreadLocalRandom.current().nextInt(1_000_000));
  private static ArticleStack stack;

  @BeforeAll
  static void start() {
    stack = ArticleStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** A new author known to the fake user-svc as {@code nickname}. */
  static long author(String nickname) {
    long uid = AUTHORS.incrementAndGet();
    stack.users.nickname(uid, nickname);
    return uid;
  }

  static ArticleServiceBlockingStub rpc() {
    return stack.articles();
  }

  static Article draft(long id, long author, String title, String content) {
    return Article.newBuilder()
        .setId(id)
        .setTitle(title)
        .setContent(content)
        .setAuthor(Author.newBuilder().setId(author))
        .build();
  }

  static long save(long id, long author, String title, String content) {
    return rpc()
        .save(SaveRequest.newBuilder().setArticle(draft(id, author, title, content)).build())
        .getId();
  }

  static long publish(long id, long author, String title, String content) {
    return rpc()
        .publish(PublishRequest.newBuilder().setArticle(draft(id, author, title, content)).build())
        .getId();
  }

  static void withdraw(long author, long id) {
    rpc().withdraw(WithdrawRequest.newBuilder().setUid(author).setId(id).build());
  }

  static List<Article> list(long author, int offset, int limit) {
    return rpc()
        .list(ListRequest.newBuilder().setAuthor(author).setOffset(offset).setLimit(limit).build())
        .getArticlesList();
  }

  static Article byId(long id) {
    return rpc().getById(GetByIdRequest.newBuilder().setId(id).build()).getArticle();
  }

  static Article published(long id, long reader) {
    return rpc()
        .getPublishedById(GetPublishedByIdRequest.newBuilder().setId(id).setUid(reader).build())
        .getArticle();
  }

  static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void anAuthorWritesEditsPublishesAndWithdrawsAndReadersSeeOnlyThePublishedState() {
    long author = author("小明");
    long reader = author("读者");

    long id = save(0, author, "First draft", "<p>Hello <b>world</b></p><script>x()</script>");
    assertThat(id).isPositive();
    Article draft = byId(id);
    assertThat(draft.getStatus()).isEqualTo(1);
    assertThat(draft.getContent()).isEqualTo("<p>Hello <b>world</b></p>");
    assertThat(draft.getAbstract()).isEqualTo("Hello world");
    assertThat(draft.getAuthor().getId()).isEqualTo(author);
    assertThat(codeOf(() -> published(id, reader))).isEqualTo(Status.Code.NOT_FOUND);

    List<Article> mine = list(author, 0, 10);
    assertThat(mine).extracting(Article::getId).containsExactly(id);
    assertThat(mine.getFirst().getContent()).isEmpty(); // lists carry abstracts, not contents
    assertThat(mine.getFirst().getAbstract()).isEqualTo("Hello world");

    assertThat(save(id, author, "Second draft", "<p>Edited</p>")).isEqualTo(id);
    assertThat(list(author, 0, 10).getFirst().getTitle()).isEqualTo("Second draft");
    assertThat(byId(id).getContent()).isEqualTo("<p>Edited</p>");

    assertThat(publish(id, author, "Published", "<p>For everyone</p>")).isEqualTo(id);
    Article view = published(id, reader);
    assertThat(view.getTitle()).isEqualTo("Published");
    assertThat(view.getContent()).isEqualTo("<p>For everyone</p>");
    assertThat(view.getAbstract()).isEqualTo("For everyone");
    assertThat(view.getStatus()).isEqualTo(2);
    assertThat(view.getAuthor().getId()).isEqualTo(author);
    assertThat(view.getAuthor().getName()).isEqualTo("小明");
    assertThat(byId(id).getStatus()).isEqualTo(2);

    // Editing a published article makes the author's copy a draft again; readers keep the
    // published text until the next publish.
    save(id, author, "Unpublished edit", "<p>draft text</p>");
    assertThat(byId(id).getStatus()).isEqualTo(1);
    assertThat(published(id, reader).getTitle()).isEqualTo("Published");

    withdraw(author, id);
    assertThat(codeOf(() -> published(id, reader))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(byId(id).getStatus()).isEqualTo(3);

    // Publishing again brings it back.
    publish(id, author, "Back", "<p>again</p>");
    assertThat(published(id, reader).getTitle()).isEqualTo("Back");
  }

  @Test
  void publishingANewArticleCreatesBothRowsWithOneId() {
    long author = author("direct");
    long id = publish(0, author, "Straight to readers", "<p>no draft first</p>");
    assertThat(byId(id).getStatus()).isEqualTo(2);
    assertThat(published(id, 0).getTitle()).isEqualTo("Straight to readers");
    assertRowsAgree(id);
  }

  @Test
  void aStrangerCanNeitherEditNorPublishNorWithdrawAndNothingChanges() {
    long author = author("owner");
    long stranger = author("stranger");
    long id = save(0, author, "Mine", "<p>private draft</p>");

    assertThat(codeOf(() -> save(id, stranger, "Hijacked", "x"))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> publish(id, stranger, "Hijacked", "x")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> withdraw(stranger, id))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> save(Long.MAX_VALUE, author, "absent", "x")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(list(stranger, 0, 100)).isEmpty();

    Article after = byId(id);
    assertThat(after.getTitle()).isEqualTo("Mine");
    assertThat(after.getStatus()).isEqualTo(1);
    try (CloseableDSLContext sql = stack.sql()) {
      assertThat(sql.fetchCount(PUBLISHED_ARTICLES, PUBLISHED_ARTICLES.ID.eq(id))).isZero();
    }
  }

  /**
   * The content of every read of one article that {@code author} saved and then published with
   * {@code html}: the author view from the database, then from its cache; the reader view from the
   * cache the publish wrote, from the database (cache entry deleted), then from the cache that load
   * wrote back. Each cached read is checked to be a cache hit.
   */
  private static List<String> contentOfEveryRead(long author, String title, String html) {
    List<String> contents = new ArrayList<>();
    long id = save(0, author, title, html);
    contents.add(byId(id).getContent()); // the save left a floor: from the database
    double detailHits = stack.counter("cache.gets", "cache", "detail", "result", "hit");
    contents.add(byId(id).getContent());
    assertThat(stack.counter("cache.gets", "cache", "detail", "result", "hit"))
        .as("second author read from the cache")
        .isEqualTo(detailHits + 1);

    publish(id, author, title, html);
    double readerHits = stack.counter("cache.gets", "cache", "reader_view", "result", "hit");
    contents.add(published(id, 0).getContent()); // written by the publish
    stack.redis.connection().sync().del(stack.cacheNamespace + "article:pub:" + id);
    contents.add(published(id, 0).getContent()); // from the database
    contents.add(published(id, 0).getContent()); // written back by that load
    assertThat(stack.counter("cache.gets", "cache", "reader_view", "result", "hit"))
        .as("first and third reader reads from the cache")
        .isEqualTo(readerHits + 2);
    return contents;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.webook.article.testing.ContentSafetyCases#payloads")
  void storedXssNeverComesBackExecutableFromAnyRead(String name, String payload) {
    String stored = new ContentSanitizer().sanitize(payload).html();
    List<String> reads = contentOfEveryRead(author("xss"), name, payload);
    assertThat(reads).hasSize(5).containsOnly(stored);
    reads.forEach(ContentSafetyCases::assertNotExecutable);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("com.webook.article.testing.ContentSafetyCases#formatting")
  void editorFormattingSurvivesSaveAndPublishIntoEveryRead(
      String name, String html, String stored) {
    assertThat(contentOfEveryRead(author("formatting"), name, html))
        .hasSize(5)
        .containsOnly(stored);
  }

  static Stream<Arguments> invalidRequests() {
    long a = 42;
    return Stream.of(
        call("save without article", s -> s.save(SaveRequest.getDefaultInstance())),
        call(
            "save without author",
            s -> s.save(SaveRequest.newBuilder().setArticle(draft(0, 0, "t", "c")).build())),
        call(
            "save with negative id",
            s -> s.save(SaveRequest.newBuilder().setArticle(draft(-1, a, "t", "c")).build())),
        call(
            "save with empty title",
            s -> s.save(SaveRequest.newBuilder().setArticle(draft(0, a, " ", "c")).build())),
        call(
            "save with 1025-character title",
            s ->
                s.save(
                    SaveRequest.newBuilder()
                        .setArticle(draft(0, a, "t".repeat(1025), "c"))
                        .build())),
        call(
            "save with content over 1 MiB",
            s ->
                s.save(
                    SaveRequest.newBuilder()
                        .setArticle(draft(0, a, "t", "x".repeat((1 << 20) + 1)))
                        .build())),
        call(
            "publish with empty title",
            s -> s.publish(PublishRequest.newBuilder().setArticle(draft(0, a, "", "c")).build())),
        call(
            "withdraw uid 0",
            s -> s.withdraw(WithdrawRequest.newBuilder().setUid(0).setId(1).build())),
        call(
            "withdraw id 0",
            s -> s.withdraw(WithdrawRequest.newBuilder().setUid(a).setId(0).build())),
        call(
            "list author 0",
            s -> s.list(ListRequest.newBuilder().setAuthor(0).setLimit(10).build())),
        call(
            "list limit 0", s -> s.list(ListRequest.newBuilder().setAuthor(a).setLimit(0).build())),
        call(
            "list limit 101",
            s -> s.list(ListRequest.newBuilder().setAuthor(a).setLimit(101).build())),
        call(
            "list offset -1",
            s -> s.list(ListRequest.newBuilder().setAuthor(a).setOffset(-1).setLimit(10).build())),
        call("get id 0", s -> s.getById(GetByIdRequest.newBuilder().setId(0).build())),
        call("get id -5", s -> s.getById(GetByIdRequest.newBuilder().setId(-5).build())),
        call(
            "published id 0",
            s -> s.getPublishedById(GetPublishedByIdRequest.newBuilder().setId(0).build())),
        call(
            "published uid -1",
            s ->
                s.getPublishedById(
                    GetPublishedByIdRequest.newBuilder().setId(1).setUid(-1).build())),
        call(
            "list pub limit 1001",
            s -> s.listPub(ListPubRequest.newBuilder().setLimit(1001).build())),
        call("list pub limit 0", s -> s.listPub(ListPubRequest.newBuilder().setLimit(0).build())),
        call(
            "list pub start_time out of range",
            s ->
                s.listPub(
                    ListPubRequest.newBuilder()
                        .setStartTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE))
                        .setLimit(10)
                        .build())));
  }

  private static Arguments call(String name, Consumer<ArticleServiceBlockingStub> call) {
    return Arguments.of(name, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void badInputIsInvalidArgumentAndWritesNothing(
      String name, Consumer<ArticleServiceBlockingStub> call) {
    int before = rowCount();
    assertThatThrownBy(() -> call.accept(rpc()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).doesNotContain("Exception", "\tat ");
            });
    assertThat(rowCount()).isEqualTo(before);
  }

  private static int rowCount() {
    try (CloseableDSLContext sql = stack.sql()) {
      return sql.fetchCount(ARTICLES);
    }
  }

  @Test
  void twentyParallelPublishesOfOneArticleLeaveBothTablesEqual() throws Exception {
    long author = author("parallel");
    long id = save(0, author, "draft", "<p>v0</p>");
    List<Callable<Long>> publishes = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int v = i;
      publishes.add(() -> publish(id, author, "v" + v, "<p>version " + v + "</p>"));
    }
    try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
      for (Future<Long> f : pool.invokeAll(publishes)) {
        assertThat(f.get()).isEqualTo(id);
      }
    }
    Record row = assertRowsAgree(id);
    assertThat(row.get(ARTICLES.STATUS)).isEqualTo((byte) 2);
    // The reader view is the last committed publish, whichever that was.
    assertThat(published(id, 0).getTitle()).isEqualTo(row.get(ARTICLES.TITLE));
  }

  @Test
  void aPublishRacingAWithdrawEndsInAStateBothTablesAndTheCacheAgreeOn() throws Exception {
    long author = author("racer");
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int round = 0; round < 10; round++) {
        long id = publish(0, author, "round " + round, "<p>r</p>");
        Future<?> p = pool.submit(() -> publish(id, author, "republished", "<p>again</p>"));
        Future<?> w = pool.submit(() -> withdraw(author, id));
        p.get();
        w.get();
        Record row = assertRowsAgree(id);
        byte status = row.get(ARTICLES.STATUS);
        assertThat(status).isIn((byte) 2, (byte) 3);
        assertThat(codeOf(() -> published(id, 0)))
            .as("reader view after round %d (status %d)", round, status)
            .isEqualTo(status == 2 ? Status.Code.OK : Status.Code.NOT_FOUND);
      }
    }
  }

  /**
   * The author row and the reader row of {@code id} hold the same columns; returns the author row.
   */
  private static Record assertRowsAgree(long id) {
    try (CloseableDSLContext sql = stack.sql()) {
      Record a =
          sql.select(
                  ARTICLES.TITLE,
                  ARTICLES.CONTENT,
                  ARTICLES.ABSTRACT,
                  ARTICLES.AUTHOR_ID,
                  ARTICLES.STATUS,
                  ARTICLES.CTIME,
                  ARTICLES.UTIME)
              .from(ARTICLES)
              .where(ARTICLES.ID.eq(id))
              .fetchSingle();
      Record p =
          sql.select(
                  PUBLISHED_ARTICLES.TITLE,
                  PUBLISHED_ARTICLES.CONTENT,
                  PUBLISHED_ARTICLES.ABSTRACT,
                  PUBLISHED_ARTICLES.AUTHOR_ID,
                  PUBLISHED_ARTICLES.STATUS,
                  PUBLISHED_ARTICLES.CTIME,
                  PUBLISHED_ARTICLES.UTIME)
              .from(PUBLISHED_ARTICLES)
              .where(PUBLISHED_ARTICLES.ID.eq(id))
              .fetchSingle();
      assertThat(p.intoList()).isEqualTo(a.intoList());
      return a;
    }
  }

  @Test
  void noWritePathCallsAnotherServiceInsideATransaction() {
    long author = author("tx");
    long other = author("other");
    int callsBefore = stack.users.batchCalls();
    long id = save(0, author, "a", "<p>a</p>");
    save(id, author, "b", "<p>b</p>");
    publish(id, author, "c", "<p>c</p>");
    publish(0, author, "d", "<p>d</p>");
    withdraw(author, id);
    assertThat(codeOf(() -> save(id, other, "e", "e"))).isEqualTo(Status.Code.NOT_FOUND);
    published(publish(0, author, "f", "<p>f</p>"), 0);
    // The failures: each ran its transaction and rolled it back or changed nothing.
    assertThat(codeOf(() -> publish(id, other, "g", "<p>g</p>"))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> publish(Long.MAX_VALUE, author, "h", "<p>h</p>")))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> withdraw(other, id))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(codeOf(() -> withdraw(author, Long.MAX_VALUE))).isEqualTo(Status.Code.NOT_FOUND);
    // Publishing while user-svc fails: the name lookup after the commit fails, the publish not.
    int callsBeforeOutage = stack.users.batchCalls();
    stack.users.failing(true);
    try {
      publish(id, author, "i", "<p>i</p>");
      publish(0, author, "j", "<p>j</p>");
    } finally {
      stack.users.failing(false);
    }
    assertThat(stack.users.batchCalls()).isGreaterThan(callsBeforeOutage);
    // user-svc was called (author names after each publish), and never from inside a transaction.
    assertThat(stack.users.batchCalls()).isGreaterThan(callsBefore);
    assertThat(stack.counter("webook.db.remote.calls.in.transaction")).isZero();
  }

  /**
   * The positive control of the test above: its 0 means something only if the counter is wired.
   * Through the service's own database handle and its own channel to user-svc (both from {@code
   * ArticleApp.wire} on the host), a call made inside a transaction is counted, once.
   */
  @Test
  void aCallToUserSvcInsideAnArticleTransactionIsCounted() {
    // A stack of its own: the shared one's counter must stay 0.
    try (ArticleStack own = ArticleStack.start()) {
      long uid = AUTHORS.incrementAndGet();
      own.users.nickname(uid, "counted");
      AuthorNames names = new UserServiceAuthorNames(own.channel("user"));
      String[] tags = {"grpc_service", "user.v1.UserService", "method", "BatchProfile"};

      assertThat(names.namesOf(List.of(uid))).containsEntry(uid, "counted"); // no transaction
      assertThat(own.counter("webook.db.remote.calls.in.transaction", tags)).isZero();

      Map<Long, String> inside =
          own.serviceDsl()
              .transactionResult(
                  cfg -> {
                    cfg.dsl().fetchCount(ARTICLES);
                    return names.namesOf(List.of(uid));
                  });
      assertThat(inside).containsEntry(uid, "counted"); // the call went out, and
      assertThat(own.counter("webook.db.remote.calls.in.transaction", tags)).isEqualTo(1);

      names.namesOf(List.of(uid)); // after the commit
      assertThat(own.counter("webook.db.remote.calls.in.transaction", tags)).isEqualTo(1);
    }
  }

  @Test
  void whileUserSvcFailsReadersGetTheArticleWithoutItsAuthorNameAndThenWithIt() {
    long author = author("named");
    long id = publish(0, author, "t", "<p>c</p>");
    stack.redis.connection().sync().del(stack.cacheNamespace + "article:pub:" + id);
    double failuresBefore = stack.counter("article.author.lookup.failures");
    stack.users.failing(true);
    try {
      Article degraded = published(id, 0);
      assertThat(degraded.getTitle()).isEqualTo("t");
      assertThat(degraded.getAuthor().getId()).isEqualTo(author);
      assertThat(degraded.getAuthor().getName()).isEmpty();
    } finally {
      stack.users.failing(false);
    }
    assertThat(stack.counter("article.author.lookup.failures")).isGreaterThan(failuresBefore);
    // The degraded view was not cached: the name is back at once.
    assertThat(published(id, 0).getAuthor().getName()).isEqualTo("named");
  }

  @Test
  void listPubPagesThroughPublishedArticlesNewestFirstWithAuthorNames() throws Exception {
    long alice = author("Alice");
    long bob = author("Bob");
    long first = publish(0, alice, "first", "<p>1</p>");
    long draftOnly = save(0, bob, "draft", "<p>never published</p>");
    long second = publish(0, bob, "second", "<p>2</p>");
    long withdrawn = publish(0, alice, "withdrawn", "<p>3</p>");
    withdraw(alice, withdrawn);
    long third = publish(0, alice, "third", "<p>4</p>");

    List<Article> page =
        rpc().listPub(ListPubRequest.newBuilder().setLimit(1000).build()).getArticlesList();
    List<Long> ids = page.stream().map(Article::getId).toList();
    assertThat(ids).doesNotContain(draftOnly, withdrawn);
    assertThat(ids).containsSubsequence(third, second, first);
    Article newest = page.get(ids.indexOf(third));
    assertThat(newest.getAuthor().getName()).isEqualTo("Alice");
    assertThat(page.get(ids.indexOf(second)).getAuthor().getName()).isEqualTo("Bob");
    assertThat(newest.getContent()).isEmpty();
    assertThat(newest.getAbstract()).isEqualTo("4");
    for (int i = 1; i < page.size(); i++) {
      assertThat(ProtoTimestamps.toEpochMillis(page.get(i - 1).getUtime()))
          .isGreaterThanOrEqualTo(ProtoTimestamps.toEpochMillis(page.get(i).getUtime()));
    }

    // start_time: only what changed at or before it.
    Timestamp secondTime = page.get(ids.indexOf(second)).getUtime();
    List<Long> older =
        rpc()
            .listPub(ListPubRequest.newBuilder().setStartTime(secondTime).setLimit(1000).build())
            .getArticlesList()
            .stream()
            .map(Article::getId)
            .toList();
    assertThat(older).contains(second, first).doesNotContain(third);
  }
}
