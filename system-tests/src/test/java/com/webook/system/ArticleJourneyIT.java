package com.webook.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.testsupport.TestStack;
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
 * from its production jar. interactive-svc is running but has no counters yet, so the reader view
 * shows zeros.
 */
class ArticleJourneyIT {
  private static final AtomicLong IPS =
      new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
  private static WebookCluster cluster;
  private static Http http;

  @BeforeAll
  static void start() {
    cluster = new WebookCluster().startWechat();
    cluster.startUserSvc();
    cluster.startArticleSvc();
    cluster.startArticleSvc();
    cluster.startInteractiveSvc();
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
    JsonNode view = get(reader, "/articles/pub/" + id).json();
    assertThat(view.get("code").asInt()).isZero();
    JsonNode vo = view.get("data");
    assertThat(vo.get("id").asLong()).isEqualTo(id);
    assertThat(vo.get("title").asText()).isEqualTo("发布了");
    assertThat(vo.get("content").asText()).isEqualTo("<p>大家好</p>");
    assertThat(vo.get("abstract").asText()).isEqualTo("大家好");
    assertThat(vo.get("status").asInt()).isEqualTo(2);
    assertThat(vo.get("author").asText()).isEqualTo("作者小明");
    assertThat(vo.get("authorId").asLong()).isPositive();
    for (String counter : List.of("readCnt", "likeCnt", "collectCnt")) {
      assertThat(vo.get(counter).asLong()).as(counter).isZero();
    }
    assertThat(vo.get("liked").asBoolean()).isFalse();
    assertThat(vo.get("collected").asBoolean()).isFalse();

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

  private static double readerViews(WebookCluster.Instance instance) {
    return WebookCluster.sample(
        WebookCluster.metrics(instance),
        "grpc_server_requests_received_messages_total",
        "method=\"GetPublishedById\"");
  }
}
