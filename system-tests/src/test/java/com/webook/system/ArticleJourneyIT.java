package com.webook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.testsupport.EtcdKeys;
import com.webook.testsupport.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The writing and reading pages of the web frontend, as a browser drives them (SPEC §2.4): BFF →
 * article-svc (two instances, found through etcd) → user-svc for the author's name, every process
 * from its production jar, and interactive-svc for the counters: likes, cancellations and collects
 * through the BFF show in the reader view, and reads are counted from article-svc's read events
 * (Kafka → interactive-svc) exactly. One test stops interactive-svc and checks that the reader view
 * still answers with zero counters (SPEC §9), then starts a fresh one, so every test finds the
 * whole cluster whatever the order.
 */
class ArticleJourneyIT {
  private static final AtomicLong IPS =
      new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));

  /** The label of interactive-svc's series in the BFF's discovery meters. */
  private static final String INTERACTIVE = "service=\"interactive\"";

  private static WebookCluster cluster;
  private static Http http;

  @BeforeAll
  static void start() {
    cluster = new WebookCluster().startWechat();
    cluster.startUserSvc();
    cluster.startArticleSvc();
    cluster.startArticleSvc();
    cluster.startInteractiveSvc();
    cluster.startRankingSvc();
    cluster.startRankingSvc();
    cluster.startBff(Map.of("WEBOOK_RATE_LIMIT_LIMIT", "1000"));
    http = new Http(cluster.baseUrl());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A logged-in user with a nickname of their own: {@code [ip, "Bearer <token>"]}. */
  private static String[] user(String nickname) {
    long n = IPS.incrementAndGet();
    String ip = "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
    String bearer =
        "Bearer " + http.signUpAndLogIn(TestStack.unique("writer") + "@webook.test", ip);
    Http.Answer edit =
        http.post(
            "/users/edit",
            Map.of("nickname", nickname, "birthday", "1990-01-01", "aboutMe", ""),
            "Authorization",
            bearer,
            "X-Forwarded-For",
            ip);
    assertThat(edit.code()).isZero();
    return new String[] {ip, bearer};
  }

  private static Http.Answer post(String[] user, String path, Object body) {
    return http.post(path, body, "Authorization", user[1], "X-Forwarded-For", user[0]);
  }

  private static Http.Answer get(String[] user, String path) {
    return http.get(path, "Authorization", user[1], "X-Forwarded-For", user[0]);
  }

  private static JsonNode envelope(int code, String msg) {
    return Http.JSON.createObjectNode().put("code", code).put("msg", msg).putNull("data");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * A reader view answered OK, with the whole VO of SPEC §2.4 (numbers as JSON numbers, booleans as
   * JSON booleans) and zero counters: what a reader sees of an article nobody read or liked yet,
   * and of any article while the counters are unavailable. Returns the VO.
   */
  private static JsonNode assertReaderViewWithZeroCounters(Http.Answer view, long id) {
    JsonNode vo = assertReaderView(view, id);
    for (String counter : List.of("readCnt", "likeCnt", "collectCnt")) {
      assertThat(vo.get(counter).longValue()).as(counter).isZero();
    }
    for (String flag : List.of("liked", "collected")) {
      assertThat(vo.get(flag).booleanValue()).as(flag).isFalse();
    }
    return vo;
  }

  /** A reader view answered OK with the whole VO of SPEC §2.4, typed as it says. Returns the VO. */
  private static JsonNode assertReaderView(Http.Answer view, long id) {
    assertThat(view.status()).isEqualTo(200);
    JsonNode body = view.json();
    assertThat(body.get("code").isInt()).as("code: %s", body).isTrue();
    assertThat(body.get("code").intValue()).as("code: %s", body).isZero();
    JsonNode vo = body.get("data");
    assertThat(fieldNames(vo))
        .as("the VO's fields: %s", vo)
        .containsExactly(
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
            "collected");
    assertThat(vo.get("id").isIntegralNumber()).as("id: %s", vo).isTrue();
    assertThat(vo.get("id").longValue()).isEqualTo(id);
    assertThat(vo.get("status").isInt()).as("status: %s", vo).isTrue();
    assertThat(vo.get("status").intValue()).isEqualTo(2);
    assertThat(vo.get("authorId").isIntegralNumber()).as("authorId: %s", vo).isTrue();
    assertThat(vo.get("authorId").longValue()).isPositive();
    for (String time : List.of("ctime", "utime")) {
      assertThat(vo.get(time).isTextual()).as("%s: %s", time, vo).isTrue();
      assertThat(vo.get(time).textValue()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    }
    for (String counter : List.of("readCnt", "likeCnt", "collectCnt")) {
      assertThat(vo.get(counter).isIntegralNumber()).as("%s: %s", counter, vo).isTrue();
      assertThat(vo.get(counter).longValue()).as(counter).isNotNegative();
    }
    for (String flag : List.of("liked", "collected")) {
      assertThat(vo.get(flag).isBoolean()).as("%s: %s", flag, vo).isTrue();
    }
    return vo;
  }

  @Test
  void writeListEditPublishReadWithdraw() {
    String[] author = user("作者小明");
    String[] reader = user("读者");

    // Write a draft: the id comes back as a number.
    Http.Answer saved =
        post(
            author,
            "/articles/edit",
            Map.of("title", "我的第一篇", "content", "<p>草稿<script>x()</script></p>"));
    assertThat(saved.code()).isZero();
    assertThat(saved.json().get("data").isIntegralNumber()).isTrue();
    long id = saved.json().get("data").asLong();
    assertThat(id).isPositive();

    // The author's list: the six fields of a list item, the abstract from the sanitized text.
    JsonNode list = post(author, "/articles/list", Map.of("offset", 0, "limit", 10)).json();
    assertThat(list.get("code").asInt()).isZero();
    JsonNode item = list.get("data").get(0);
    assertThat(item.get("id").asLong()).isEqualTo(id);
    assertThat(item.get("title").asText()).isEqualTo("我的第一篇");
    assertThat(item.get("abstract").asText()).isEqualTo("草稿");
    assertThat(item.get("status").asInt()).isEqualTo(1);
    assertThat(fieldNames(item))
        .containsExactlyInAnyOrder("id", "title", "abstract", "status", "ctime", "utime");
    assertThat(item.get("ctime").asText()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

    // Edit it, and the detail shows the new, sanitized content.
    assertThat(
            post(
                    author,
                    "/articles/edit",
                    Map.of(
                        "id",
                        id,
                        "title",
                        "改过的标题",
                        "content",
                        "<h2>正文</h2><img src=x onerror=alert(1)>"))
                .json()
                .get("data")
                .asLong())
        .isEqualTo(id);
    JsonNode detail = get(author, "/articles/detail/" + id).json().get("data");
    assertThat(detail.get("title").asText()).isEqualTo("改过的标题");
    assertThat(detail.get("content").asText()).isEqualTo("<h2>正文</h2><img src=\"x\">");

    // Nobody else sees the draft.
    assertThat(get(reader, "/articles/detail/" + id).json()).isEqualTo(envelope(4, "输入有误"));
    assertThat(get(reader, "/articles/pub/" + id).json()).isEqualTo(envelope(4, "文章不存在"));

    // Publish; another user reads it with the author's name and zero counters.
    Http.Answer published =
        post(
            author, "/articles/publish", Map.of("id", id, "title", "发布了", "content", "<p>大家好</p>"));
    assertThat(published.code()).isZero();
    assertThat(published.json().get("data").asLong()).isEqualTo(id);
    JsonNode vo = assertReaderViewWithZeroCounters(get(reader, "/articles/pub/" + id), id);
    assertThat(vo.get("title").textValue()).isEqualTo("发布了");
    assertThat(vo.get("content").textValue()).isEqualTo("<p>大家好</p>");
    assertThat(vo.get("abstract").textValue()).isEqualTo("大家好");
    assertThat(vo.get("author").textValue()).isEqualTo("作者小明");

    // A stranger can neither edit, republish nor withdraw it.
    assertThat(
            post(reader, "/articles/edit", Map.of("id", id, "title", "hijack", "content", "x"))
                .json())
        .isEqualTo(envelope(402001, "文章不存在"));
    assertThat(
            post(reader, "/articles/publish", Map.of("id", id, "title", "hijack", "content", "x"))
                .json())
        .isEqualTo(envelope(402001, "文章不存在"));
    assertThat(post(reader, "/articles/withdraw", Map.of("id", id)).json())
        .isEqualTo(envelope(402001, "文章不存在"));
    assertThat(get(reader, "/articles/pub/" + id).json().get("data").get("title").asText())
        .isEqualTo("发布了");

    // The author withdraws it: readers get "not found", the author still sees it, private.
    assertThat(post(author, "/articles/withdraw", Map.of("id", id)).json())
        .isEqualTo(envelope(0, "OK"));
    assertThat(get(reader, "/articles/pub/" + id).json()).isEqualTo(envelope(4, "文章不存在"));
    assertThat(get(author, "/articles/detail/" + id).json().get("data").get("status").asInt())
        .isEqualTo(3);
  }

  @Test
  void badInputGetsTheSpecsAnswersAndNeverA500() {
    String[] author = user("validator");
    assertThat(post(author, "/articles/edit", Map.of("title", "", "content", "x")).json())
        .isEqualTo(envelope(402001, "标题不能为空"));
    assertThat(
            post(author, "/articles/edit", Map.of("title", "t".repeat(1025), "content", "x"))
                .json())
        .isEqualTo(envelope(402001, "标题过长"));
    assertThat(post(author, "/articles/list", Map.of("offset", 0, "limit", 101)).json())
        .isEqualTo(envelope(4, "请求有误"));
    for (String bad : List.of("0", "-1", "abc", "9223372036854775808")) {
      assertThat(get(author, "/articles/pub/" + bad).json()).as(bad).isEqualTo(envelope(4, "参数错误"));
      assertThat(get(author, "/articles/detail/" + bad).json())
          .as(bad)
          .isEqualTo(envelope(4, "参数错误"));
    }
    assertThat(http.get("/articles/pub/1", "X-Forwarded-For", author[0]).status()).isEqualTo(401);
  }

  @Test
  void readsAreSpreadOverBothArticleInstances() {
    String[] author = user("popular");
    long id =
        post(author, "/articles/publish", Map.of("title", "spread", "content", "<p>x</p>"))
            .json()
            .get("data")
            .asLong();
    double[] before =
        cluster.articles.stream().mapToDouble(ArticleJourneyIT::readerViews).toArray();
    for (int i = 0; i < 40; i++) {
      assertThat(get(author, "/articles/pub/" + id).code()).isZero();
    }
    for (int i = 0; i < cluster.articles.size(); i++) {
      assertThat(readerViews(cluster.articles.get(i)) - before[i])
          .as("reader views served by %s", cluster.articles.get(i).name())
          .isPositive();
    }
  }

  /**
   * SPEC §2.4 and §6 through real processes: a like shows in the reader view (count and {@code
   * liked} for the one who liked, the count only for others), liking again counts once, a collect
   * counts once however often it is sent, a cancellation takes the like back, and every reader view
   * is counted as a read — exactly, through article-svc's read events on Kafka and
   * interactive-svc's consumer — and shows in a later view.
   */
  @Test
  void likesCollectsAndReadsShowInTheReaderView() throws Exception {
    String[] author = user("点赞作者");
    String[] reader = user("点赞读者");
    String[] other = user("路人");
    long id =
        post(author, "/articles/publish", Map.of("title", "请点赞", "content", "<p>谢谢</p>"))
            .json()
            .get("data")
            .longValue();
    String path = "/articles/pub/" + id;
    int views = 0;
    assertReaderViewWithZeroCounters(get(reader, path), id);
    views++;

    assertThat(post(reader, "/articles/pub/like", Map.of("id", id, "like", true)).json())
        .isEqualTo(envelope(0, "OK"));
    assertThat(post(reader, "/articles/pub/like", Map.of("id", id, "like", true)).json())
        .as("liking again")
        .isEqualTo(envelope(0, "OK"));
    JsonNode mine = assertReaderView(get(reader, path), id);
    views++;
    assertThat(mine.get("likeCnt").longValue()).as("liked twice, counted once").isEqualTo(1);
    assertThat(mine.get("liked").booleanValue()).isTrue();
    JsonNode theirs = assertReaderView(get(other, path), id);
    views++;
    assertThat(theirs.get("likeCnt").longValue()).isEqualTo(1);
    assertThat(theirs.get("liked").booleanValue()).as("someone else's like").isFalse();

    for (int i = 0; i < 2; i++) {
      assertThat(post(reader, "/articles/pub/collect", Map.of("id", id, "cid", 0)).json())
          .isEqualTo(envelope(0, "OK"));
    }
    assertThat(post(other, "/articles/pub/collect", Map.of("id", id)).json())
        .as("no cid: the default folder")
        .isEqualTo(envelope(0, "OK"));
    mine = assertReaderView(get(reader, path), id);
    views++;
    assertThat(mine.get("collectCnt").longValue()).as("two users, three collects").isEqualTo(2);
    assertThat(mine.get("collected").booleanValue()).isTrue();

    assertThat(post(reader, "/articles/pub/like", Map.of("id", id, "like", false)).json())
        .isEqualTo(envelope(0, "OK"));
    mine = assertReaderView(get(reader, path), id);
    views++;
    assertThat(mine.get("likeCnt").longValue()).as("cancelled").isZero();
    assertThat(mine.get("liked").booleanValue()).isFalse();
    assertThat(mine.get("collected").booleanValue())
        .as("a cancelled like leaves the collect")
        .isTrue();

    // Bad input is the BFF's to answer; without a login, 401.
    assertThat(post(reader, "/articles/pub/like", Map.of("id", 0, "like", true)).json())
        .isEqualTo(envelope(4, "参数错误"));
    assertThat(http.post("/articles/pub/like", Map.of("id", id, "like", true)).status())
        .isEqualTo(401);

    // Every view was one read event: counted exactly once the consumer has applied them.
    int counted = views;
    await()
        .atMost(Duration.ofSeconds(60))
        .alias("read_cnt in interactive-svc's database")
        .until(() -> readCount(id) == counted);
    Thread.sleep(1500); // one more batch window: nothing arrives twice
    assertThat(readCount(id)).as("each view counted once").isEqualTo(counted);
    JsonNode later = assertReaderView(get(other, path), id);
    assertThat(later.get("readCnt").longValue())
        .as("the views before this one, from the cache the consumer keeps up to date")
        .isEqualTo(counted);
  }

  /**
   * SPEC §2.4 {@code GET /ranking/topN} through the processes: two ranking-svc instances (one
   * computes per 2 s period) rank what readers liked, best first, and the BFF answers the VOs.
   * Other tests' articles may be in the list too: only the order of this test's three is checked.
   */
  @Test
  void theHotListShowsWhatReadersLikedBestFirst() {
    String[] author = user("热榜作者");
    String[] one = user("热榜读者一");
    String[] two = user("热榜读者二");
    long[] ids = new long[3];
    for (int i = 0; i < 3; i++) {
      ids[i] =
          post(
                  author,
                  "/articles/publish",
                  Map.of("title", "热榜 " + i, "content", "<p>热榜正文 " + i + "</p>"))
              .json()
              .get("data")
              .longValue();
    }
    post(one, "/articles/pub/like", Map.of("id", ids[0], "like", true));
    post(two, "/articles/pub/like", Map.of("id", ids[0], "like", true));
    post(one, "/articles/pub/like", Map.of("id", ids[1], "like", true));
    assertReaderView(get(two, "/articles/pub/" + ids[2]), ids[2]); // a read: counters, no like

    List<Long> mine = List.of(ids[0], ids[1], ids[2]);
    JsonNode[] list = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .alias("the three articles in the hot list")
        .until(
            () -> {
              Http.Answer answer = get(one, "/ranking/topN");
              if (answer.status() != 200 || answer.json().get("code").intValue() != 0) {
                return false;
              }
              list[0] = answer.json().get("data");
              List<Long> listed = new ArrayList<>();
              list[0].forEach(vo -> listed.add(vo.get("id").longValue()));
              return listed.containsAll(mine)
                  && likesOf(list[0], ids[0]) == 2
                  && likesOf(list[0], ids[1]) == 1;
            });
    List<Long> order = new ArrayList<>();
    list[0].forEach(
        vo -> {
          if (mine.contains(vo.get("id").longValue())) {
            order.add(vo.get("id").longValue());
          }
        });
    assertThat(order).as("best first: two likes, one like, none").containsExactlyElementsOf(mine);
    JsonNode best = null;
    for (JsonNode vo : list[0]) {
      if (vo.get("id").longValue() == ids[0]) {
        best = vo;
      }
    }
    assertThat(fieldNames(best))
        .containsExactly(
            "id", "title", "abstract", "author", "authorId", "likeCnt", "readCnt", "utime");
    assertThat(best.get("title").textValue()).isEqualTo("热榜 0");
    assertThat(best.get("abstract").textValue()).isEqualTo("热榜正文 0");
    assertThat(best.get("author").textValue()).isEqualTo("热榜作者");
    assertThat(best.get("utime").textValue()).matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    assertThat(list[0].size()).isLessThanOrEqualTo(100);
    assertThat(http.get("/ranking/topN").status()).as("not logged in").isEqualTo(401);
  }

  private static long likesOf(JsonNode list, long id) {
    for (JsonNode vo : list) {
      if (vo.get("id").longValue() == id) {
        return vo.get("likeCnt").longValue();
      }
    }
    return -1;
  }

  /** {@code read_cnt} of article {@code id} in interactive-svc's database; 0 without a row. */
  private static long readCount(long id) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                cluster.interactiveDb.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
        PreparedStatement q =
            c.prepareStatement(
                "SELECT read_cnt FROM interactives WHERE biz = 'article' AND biz_id = ?")) {
      q.setLong(1, id);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getLong(1) : 0;
      }
    }
  }

  /**
   * SPEC §9 through real processes: interactive-svc stopped (SIGTERM, as an orchestrator stops it),
   * the reader view still answers the article with zero counters, and the BFF counts every such
   * answer. Two moments of the outage: just after the exit (its registration already deleted from
   * etcd; the BFF's discovery still holds it under self-protection, its balancer drops it when the
   * connection fails), and once the BFF's discovery has no interactive endpoint left (the
   * self-protection grace, 30 s, over). The BFF runs with its production counters budget ({@code
   * articles.countersTimeout}, 150 ms: not overridden). A fresh interactive-svc is started
   * afterwards, whatever happened, so the other tests find the cluster whole.
   */
  @Test
  void theReaderViewAnswersWithZeroCountersWhileInteractiveSvcIsDown() throws Exception {
    String[] author = user("停机作者");
    String[] reader = user("停机读者");
    long id =
        post(author, "/articles/publish", Map.of("title", "照常可读", "content", "<p>计数不在</p>"))
            .json()
            .get("data")
            .longValue();
    String path = "/articles/pub/" + id;
    // With interactive-svc up, reads are not degraded for its being unavailable; awaited, so a cold
    // first call may pass.
    awaitReadsWithoutOutageDegradation(reader, path, id);

    assertThat(cluster.interactives).as("one interactive-svc").hasSize(1);
    WebookCluster.Instance interactive = cluster.interactives.getFirst();
    assertThat(EtcdKeys.withPrefix(TestStack.etcdEndpoint(), interactiveKeys()))
        .as("interactive-svc registered in etcd")
        .hasSize(1);
    assertThat(bffInteractiveEndpoints()).as("the BFF's interactive endpoints").isEqualTo(1);
    try {
      double before = outageDegradations();
      interactive.process().terminate();
      assertThat(interactive.process().waitForExit(Duration.ofSeconds(60)))
          .as("graceful stop")
          .isZero();
      cluster.interactives.remove(interactive);
      await()
          .atMost(Duration.ofSeconds(30))
          .alias("interactive-svc's registration deleted from etcd")
          .until(() -> EtcdKeys.withPrefix(TestStack.etcdEndpoint(), interactiveKeys()).isEmpty());

      // Just after the exit.
      assertReaderViewWithZeroCounters(get(reader, path), id);
      assertThat(outageDegradations()).as("degradations counted").isEqualTo(before + 1);

      // Once the BFF's discovery publishes no interactive endpoint at all.
      await()
          .atMost(Duration.ofMinutes(2))
          .alias("the BFF holds no interactive-svc endpoint")
          .until(ArticleJourneyIT::bffHasNoInteractiveEndpoint);
      for (int i = 0; i < 3; i++) {
        assertReaderViewWithZeroCounters(get(reader, path), id);
      }
      assertThat(outageDegradations()).as("degradations counted").isEqualTo(before + 4);
    } finally {
      restoreInteractiveSvc();
    }
    // Restored: the counters call reaches interactive-svc again.
    awaitReadsWithoutOutageDegradation(reader, path, id);
  }

  /** The registration keys of interactive-svc in this cluster's etcd namespace. */
  private static String interactiveKeys() {
    return cluster.namespace + "/webook/services/interactive/";
  }

  /**
   * The BFF's answers degraded because interactive-svc could not be reached: {@code
   * bff_degraded_total{dependency="interactive"}} with reason {@code unavailable} (no instance,
   * connection refused) or {@code timeout} (no answer within the counters budget).
   */
  private static double outageDegradations() {
    String metrics = WebookCluster.metrics(cluster.bff);
    return WebookCluster.sample(
            metrics, "bff_degraded_total", "dependency=\"interactive\"", "reason=\"unavailable\"")
        + WebookCluster.sample(
            metrics, "bff_degraded_total", "dependency=\"interactive\"", "reason=\"timeout\"");
  }

  /**
   * The BFF's discovery publishes no interactive-svc endpoint: none listed in etcd, none held by
   * self-protection (both gauges present, so an absent watch does not count as empty).
   */
  private static boolean bffHasNoInteractiveEndpoint() {
    String metrics = WebookCluster.metrics(cluster.bff);
    return WebookCluster.hasSample(metrics, "webook_resolver_endpoints", INTERACTIVE)
        && WebookCluster.hasSample(metrics, "webook_resolver_protection_held", INTERACTIVE)
        && WebookCluster.sample(metrics, "webook_resolver_endpoints", INTERACTIVE) == 0
        && WebookCluster.sample(metrics, "webook_resolver_protection_held", INTERACTIVE) == 0;
  }

  /** The interactive-svc endpoints the BFF's discovery lists from etcd. */
  private static double bffInteractiveEndpoints() {
    String metrics = WebookCluster.metrics(cluster.bff);
    assertThat(WebookCluster.hasSample(metrics, "webook_resolver_endpoints", INTERACTIVE))
        .as("webook_resolver_endpoints{service=\"interactive\"} in the BFF's metrics")
        .isTrue();
    return WebookCluster.sample(metrics, "webook_resolver_endpoints", INTERACTIVE);
  }

  /**
   * Reads until one is answered without a degradation for interactive-svc being unavailable (every
   * read must still be an OK reader view).
   */
  private static void awaitReadsWithoutOutageDegradation(String[] reader, String path, long id) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              double before = outageDegradations();
              assertReaderView(get(reader, path), id);
              return outageDegradations() == before;
            });
  }

  /**
   * Starts a fresh interactive-svc unless one runs, and waits until the BFF is ready again (its
   * readiness needs a connected interactive channel: {@code clients.interactive} keeps the
   * platform's {@code requiredForReadiness: true}).
   */
  private static void restoreInteractiveSvc() {
    if (cluster.interactives.stream().noneMatch(i -> i.process().isAlive())) {
      cluster.startInteractiveSvc();
    }
    cluster.bff.process().awaitReady(cluster.bff.admin(), Duration.ofSeconds(90));
  }

  private static double readerViews(WebookCluster.Instance instance) {
    return WebookCluster.sample(
        WebookCluster.metrics(instance),
        "grpc_server_requests_received_messages_total",
        "method=\"GetPublishedById\"");
  }
}
