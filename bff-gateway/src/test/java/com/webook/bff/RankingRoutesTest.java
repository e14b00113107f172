package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.Author;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.ranking.v1.TopNResponse;
import io.grpc.Status;
import io.micrometer.core.instrument.Timer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /ranking/topN} (SPEC §2.4) through real HTTP and a real gRPC in-process fake
 * ranking-svc: the VO exactly, ranking-svc's order, counters from {@code intrs}, the empty list,
 * the login check, the copy served without a call per request and refreshed after {@code
 * ranking.refreshAfter}, the stale copy when ranking-svc fails (degraded, metered), the system
 * error when there never was a list, the precompressed body. Each test has its own BFF: the copy is
 * the BFF's state.
 */
class RankingRoutesTest {
  private static final String PASSWORD = "hello#world123";

  /** Short, so a refresh is seen quickly; the polls below allow far more. */
  private static final Duration REFRESH_AFTER = Duration.ofMillis(200);

  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private static final Instant UTIME = Instant.parse("2024-01-02T03:04:05Z");

  private TestBff bff;
  private String token;

  private void start() {
    bff =
        TestBff.inMemory(
            Map.of("WEBOOK_RANKING_REFRESH_AFTER", REFRESH_AFTER.toMillis() + "ms"), key -> false);
    token = TestBff.accessToken(bff.signupAndLogin("reader@test.com", PASSWORD));
  }

  @AfterEach
  void stop() {
    if (bff != null) {
      bff.close();
    }
  }

  private HttpResponse<String> topN(String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + token));
    all.addAll(List.of(headers));
    return bff.get("/ranking/topN", all.toArray(String[]::new));
  }

  private static Article article(long id, String title, long authorId, String authorName) {
    return Article.newBuilder()
        .setId(id)
        .setTitle(title)
        .setAbstract("abstract of " + title)
        .setStatus(FakeArticleSvc.PUBLISHED)
        .setAuthor(Author.newBuilder().setId(authorId).setName(authorName))
        .setUtime(FakeArticleSvc.ts(UTIME.plusSeconds(id)))
        .build();
  }

  private static Interactive counters(long id, long reads, long likes) {
    return Interactive.newBuilder()
        .setBiz("article")
        .setBizId(id)
        .setReadCnt(reads)
        .setLikeCnt(likes)
        .setCollectCnt(99)
        .build();
  }

  /** A list of the given ids, in that order, each with reads = 10·id and likes = id. */
  private static TopNResponse listOf(long... ids) {
    TopNResponse.Builder b = TopNResponse.newBuilder();
    for (long id : ids) {
      b.addArticles(article(id, "title " + id, 1000 + id, "author " + id));
      b.putIntrs(id, counters(id, 10 * id, id));
    }
    return b.build();
  }

  /** The {@code data} of a successful answer, each entry's shape checked strictly. */
  private static JsonNode data(HttpResponse<String> r) {
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = TestBff.json(r);
    assertThat(body.get("code").isInt()).as("code is a JSON number: %s", body).isTrue();
    assertThat(body.get("code").intValue()).as("code: %s", body).isZero();
    assertThat(body.get("msg").textValue()).isEmpty();
    JsonNode data = body.get("data");
    assertThat(data.isArray()).as("data is an array: %s", body).isTrue();
    data.forEach(item -> ArticleVos.assertShape(item, ArticleVos.HOT_ITEM));
    return data;
  }

  private static List<Long> ids(HttpResponse<String> r) {
    List<Long> ids = new ArrayList<>();
    data(r).forEach(item -> ids.add(item.get("id").longValue()));
    return ids;
  }

  private double degraded(String reason) {
    return bff.count("bff.degraded", "dependency", "ranking", "reason", reason);
  }

  @Test
  void theVoIsExactlyTheSpecsFieldsInRankingSvcsOrderWithItsCounters() {
    start();
    TopNResponse list =
        TopNResponse.newBuilder()
            .addArticles(article(30, "best", 7, "小明"))
            .addArticles(article(10, "second", 8, "小红"))
            .addArticles(article(20, "third, no counters sent", 7, "小明"))
            .putIntrs(30, counters(30, 500, 42))
            .putIntrs(10, counters(10, 300, 17))
            .build();
    bff.rankingSvc.topN(list);

    JsonNode data = data(topN());

    assertThat(data).hasSize(3);
    JsonNode best = data.get(0);
    assertThat(best.get("id").longValue()).isEqualTo(30);
    assertThat(best.get("title").textValue()).isEqualTo("best");
    assertThat(best.get("abstract").textValue()).isEqualTo("abstract of best");
    assertThat(best.get("author").textValue()).isEqualTo("小明");
    assertThat(best.get("authorId").longValue()).isEqualTo(7);
    assertThat(best.get("likeCnt").longValue()).isEqualTo(42);
    assertThat(best.get("readCnt").longValue()).isEqualTo(500);
    // 03:04:35 UTC in the dev profile's +08:00
    assertThat(best.get("utime").textValue()).isEqualTo("2024-01-02 11:04:35");
    assertThat(data.get(1).get("id").longValue()).isEqualTo(10);
    assertThat(data.get(1).get("author").textValue()).isEqualTo("小红");
    assertThat(data.get(1).get("likeCnt").longValue()).isEqualTo(17);
    assertThat(data.get(1).get("readCnt").longValue()).isEqualTo(300);
    assertThat(data.get(2).get("id").longValue()).isEqualTo(20);
    assertThat(data.get(2).get("likeCnt").longValue()).as("absent from intrs").isZero();
    assertThat(data.get(2).get("readCnt").longValue()).as("absent from intrs").isZero();
  }

  @Test
  void anEmptyListIsAnEmptyArray() {
    start();
    HttpResponse<String> r = topN();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"code\":0,\"msg\":\"\",\"data\":[]}");
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
  }

  @Test
  void atMostOneHundredEntriesEvenIfRankingSvcSendsMore() {
    start();
    bff.rankingSvc.topN(listOf(LongStream.rangeClosed(1, 120).toArray()));
    assertThat(ids(topN()))
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
  }

  @Test
  void itIsALoggedInRoute() {
    start();
    bff.rankingSvc.topN(listOf(1, 2));
    for (String[] headers :
        List.of(
            new String[0],
            new String[] {"Authorization", "Bearer null"},
            new String[] {"Authorization", "Bearer " + token + "x"})) {
      HttpResponse<String> r = bff.get("/ranking/topN", headers);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.body()).isEmpty();
    }
    HttpResponse<String> head =
        bff.send(bff.request("/ranking/topN").method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).as("HEAD has GET's access").isEqualTo(401);
    HttpResponse<String> headIn =
        bff.send(
            bff.request("/ranking/topN", "Authorization", "Bearer " + token)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(headIn.statusCode()).isEqualTo(200);
    assertThat(headIn.body()).isEmpty();
  }

  @Test
  void requestsWithinRefreshAfterAreAnsweredFromTheCopyWithoutCallingRankingSvc() {
    start();
    bff.rankingSvc.topN(listOf(3, 1, 2));
    long started = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      assertThat(ids(topN())).containsExactly(3L, 1L, 2L);
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    int calls = bff.rankingSvc.calls.calls("TopN").size();
    // The first load, then at most one background refresh per refreshAfter that passed.
    assertThat(calls)
        .as("TopN calls for 200 requests in %d ms", elapsedMillis)
        .isBetween(1, 2 + (int) (elapsedMillis / REFRESH_AFTER.toMillis()))
        .isLessThan(200);
  }

  @Test
  void aNewListIsServedOnceRefreshAfterHasPassed() {
    start();
    bff.rankingSvc.topN(listOf(1, 2, 3));
    assertThat(ids(topN())).containsExactly(1L, 2L, 3L);
    bff.rankingSvc.topN(listOf(3, 2));
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ids(topN()).equals(List.of(3L, 2L)));
    assertThat(degraded("unavailable")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "NOT_FOUND"})
  void withoutAnyListYetTheAnswerIsTheSystemErrorThenTheListOnceRankingSvcAnswers(String code) {
    start();
    bff.rankingSvc.calls.failWith(
        "TopN",
        Status.fromCode(Status.Code.valueOf(code)).withDescription("secret detail at 10.1.2.3"));

    HttpResponse<String> r = topN();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(TestBff.envelope(5, "系统错误"));
    Timer failed =
        bff.metrics
            .find("http.server.requests")
            .tag("route", "/ranking/topN")
            .tag("outcome", "server_error")
            .timer();
    assertThat(failed).as("metered as a server error").isNotNull();

    bff.rankingSvc.topN(listOf(5, 4));
    bff.rankingSvc.calls.heal();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> topN().body().startsWith("{\"code\":0,"));
    assertThat(ids(topN())).containsExactly(5L, 4L);
  }

  @Test
  void withoutAnyListRankingSvcIsAskedOncePerRefreshAfterNotOncePerRequest() {
    start();
    bff.rankingSvc.calls.failWith("TopN", Status.UNAVAILABLE);
    long started = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertThat(topN().body()).isEqualTo(TestBff.envelope(5, "系统错误"));
    }
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
    assertThat(bff.rankingSvc.calls.calls("TopN").size())
        .as("TopN calls for 100 requests in %d ms", elapsedMillis)
        .isBetween(1, 2 + (int) (elapsedMillis / REFRESH_AFTER.toMillis()));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"UNAVAILABLE, unavailable", "INTERNAL, internal", "DEADLINE_EXCEEDED, timeout"})
  void aFailingRefreshKeepsTheListItHadDegradedAndMetered(String code, String reason) {
    start();
    bff.rankingSvc.topN(listOf(1, 2));
    assertThat(ids(topN())).containsExactly(1L, 2L);
    double before = degraded(reason);

    bff.rankingSvc.calls.failWith("TopN", Status.fromCode(Status.Code.valueOf(code)));
    bff.rankingSvc.topN(listOf(9)); // what it would answer if it could
    int callsBefore = bff.rankingSvc.calls.calls("TopN").size();
    // Keep reading until a refresh was attempted and failed: the answers stay the old list.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () -> {
              assertThat(ids(topN())).containsExactly(1L, 2L);
              assertThat(bff.rankingSvc.calls.calls("TopN").size()).isGreaterThan(callsBefore);
              assertThat(degraded(reason)).isGreaterThan(before);
            });
    double degradedNow = degraded(reason);
    assertThat(ids(topN())).containsExactly(1L, 2L);
    assertThat(degraded(reason)).as("every stale answer is counted").isEqualTo(degradedNow + 1);

    bff.rankingSvc.calls.heal();
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ids(topN()).equals(List.of(9L)));
    double healed = degraded(reason);
    assertThat(ids(topN())).containsExactly(9L);
    assertThat(degraded(reason)).as("fresh again: not degraded").isEqualTo(healed);
  }

  @Test
  void theAgeOfTheServedListIsAGauge() {
    start();
    assertThat(age()).as("no list yet").isNaN();
    bff.rankingSvc.topN(listOf(1));
    data(topN());
    assertThat(age()).isBetween(0.0, 60.0);
    bff.rankingSvc.calls.failWith("TopN", Status.UNAVAILABLE);
    // Refreshes fail from now on: the list served gets older than refreshAfter and stays served.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> ids(topN()).equals(List.of(1L)) && age() > 3 * REFRESH_AFTER.toMillis() / 1000.0);
  }

  private double age() {
    return bff.metrics.get("bff.hot.list.age").gauge().value();
  }

  @Test
  void theDegradationsAreRegisteredAtZero() {
    start();
    for (String reason : List.of("timeout", "unavailable", "unimplemented", "internal")) {
      assertThat(
              bff.metrics
                  .find("bff.degraded")
                  .tags("dependency", "ranking", "reason", reason)
                  .counter())
          .as(reason)
          .isNotNull();
    }
  }

  @Test
  void aSuccessfulAnswerIsMeteredAsSuccess() {
    start();
    bff.rankingSvc.topN(listOf(1));
    data(topN());
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                bff.metrics
                        .find("http.server.requests")
                        .tag("route", "/ranking/topN")
                        .tag("outcome", "success")
                        .timer()
                    != null);
  }

  @Test
  void theCallDoesNotCarryTheRouteGroupOfTheRequestThatLoadedTheList() {
    start();
    bff.rankingSvc.topN(listOf(1));
    data(topN("x-route-group", "canary"));
    assertThat(bff.rankingSvc.calls.calls("TopN").getFirst().routeGroup())
        .as("one list for every request: loaded outside the request's lane")
        .isNull();
  }

  @Test
  void aClientThatAcceptsGzipGetsThePrecompressedBody() throws IOException {
    start();
    bff.rankingSvc.topN(listOf(LongStream.rangeClosed(1, 100).toArray()));
    HttpResponse<String> plain = topN();
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();

    HttpResponse<byte[]> gz =
        bff.sendBytes(
            bff.request("/ranking/topN", "Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip"));

    assertThat(gz.statusCode()).isEqualTo(200);
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.body().length).isLessThan(plain.body().getBytes(StandardCharsets.UTF_8).length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain.body());
    }
  }
}
