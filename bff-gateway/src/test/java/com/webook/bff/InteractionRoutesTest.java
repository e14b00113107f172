package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.auth0.jwt.JWT;
import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.LikeRequest;
import io.grpc.Status;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /articles/pub/like} and {@code POST /articles/pub/collect} (SPEC §2.4) through real
 * HTTP and real gRPC (in-process {@link FakeInteractiveSvc}, logouts in memory, no Redis): what
 * interactive-svc is asked (biz, id, the token's uid, cid), every malformed body and every bad
 * field with its exact envelope and no call, the login check, and every gRPC status of the three
 * methods → envelope. Retries and deadlines belong to the real channel: {@link
 * InteractiveChannelTest}.
 */
class InteractionRoutesTest {
  private static final String PASSWORD = "hello#world123";
  private static final String LIKE = "/articles/pub/like";
  private static final String COLLECT = "/articles/pub/collect";
  private static final String OK = TestBff.envelope(0, "OK");
  private static final String BAD_PARAMETER = TestBff.envelope(4, "参数错误");
  private static final String BAD_BODY = TestBff.envelope(4, "请求格式错误");
  private static final String SYSTEM_ERROR = TestBff.envelope(502001, "系统错误");
  private static final List<String> WRITES = List.of("Like", "CancelLike", "Collect");

  private static TestBff bff;
  private static String token;
  private static long uid;
  private static String otherToken;
  private static long otherUid;

  @BeforeAll
  static void start() {
    bff = TestBff.inMemory();
    token = TestBff.accessToken(bff.signupAndLogin("liker@test.com", PASSWORD));
    uid = JWT.decode(token).getClaim("Uid").asLong();
    otherToken = TestBff.accessToken(bff.signupAndLogin("collector@test.com", PASSWORD));
    otherUid = JWT.decode(otherToken).getClaim("Uid").asLong();
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  @BeforeEach
  void heal() {
    bff.interactiveSvc.calls.heal();
  }

  private static HttpResponse<String> post(String path, String body) {
    return bff.post(path, body, "Authorization", "Bearer " + token);
  }

  /** Every call of Like, CancelLike and Collect the fake has received so far. */
  private static int writes() {
    return WRITES.stream().mapToInt(m -> bff.interactiveSvc.calls.calls(m).size()).sum();
  }

  private static void assertAnswer(HttpResponse<String> r, int status, String body) {
    assertThat(r.statusCode()).as("HTTP status of %s", r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).isEqualTo(body);
  }

  @Test
  void likeTrueLikesForTheTokensUser() {
    int cancels = bff.interactiveSvc.calls.calls("CancelLike").size();
    HttpResponse<String> r =
        bff.post(
            LIKE,
            "{\"id\":42,\"like\":true}",
            "Authorization",
            "Bearer " + token,
            "x-route-group",
            "canary");
    assertAnswer(r, 200, OK);
    ScriptedCalls.Call call = bff.interactiveSvc.calls.calls("Like").getLast();
    LikeRequest sent = (LikeRequest) call.request();
    assertThat(sent.getBiz()).isEqualTo("article");
    assertThat(sent.getBizId()).isEqualTo(42);
    assertThat(sent.getUid()).as("the token's uid").isEqualTo(uid);
    assertThat(call.routeGroup()).as("the route group travels on").isEqualTo("canary");
    assertThat(bff.interactiveSvc.calls.calls("CancelLike")).hasSize(cancels);

    assertAnswer(
        bff.post(LIKE, "{\"id\":43,\"like\":true}", "Authorization", "Bearer " + otherToken),
        200,
        OK);
    LikeRequest other = bff.interactiveSvc.calls.requests(LikeRequest.class).getLast();
    assertThat(other.getBizId()).isEqualTo(43);
    assertThat(other.getUid()).as("another token, another uid").isEqualTo(otherUid);
  }

  @Test
  void likeFalseCancelsTheLike() {
    int likes = bff.interactiveSvc.calls.calls("Like").size();
    assertAnswer(post(LIKE, "{\"like\":false,\"id\":9223372036854775807}"), 200, OK);
    CancelLikeRequest sent = bff.interactiveSvc.calls.requests(CancelLikeRequest.class).getLast();
    assertThat(sent.getBiz()).isEqualTo("article");
    assertThat(sent.getBizId()).as("the largest int64 is an id").isEqualTo(Long.MAX_VALUE);
    assertThat(sent.getUid()).isEqualTo(uid);
    assertThat(bff.interactiveSvc.calls.calls("Like")).as("no Like").hasSize(likes);
  }

  @Test
  void likeIgnoresUnknownFields() {
    assertAnswer(post(LIKE, "{\"id\":7,\"like\":true,\"uid\":999,\"biz\":\"x\"}"), 200, OK);
    LikeRequest sent = bff.interactiveSvc.calls.requests(LikeRequest.class).getLast();
    assertThat(sent.getUid()).as("a uid in the body is ignored").isEqualTo(uid);
    assertThat(sent.getBiz()).as("so is a biz").isEqualTo("article");
  }

  static Stream<Arguments> collects() {
    return Stream.of(
        Arguments.of("with cid", "{\"id\":42,\"cid\":7}", 7L),
        Arguments.of("without cid: the default folder", "{\"id\":42}", 0L),
        Arguments.of("cid null: the default folder", "{\"id\":42,\"cid\":null}", 0L),
        Arguments.of("cid 0", "{\"id\":42,\"cid\":0}", 0L),
        Arguments.of("the largest cid", "{\"id\":42,\"cid\":9223372036854775807}", Long.MAX_VALUE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("collects")
  void collectCollectsIntoTheFolder(String name, String body, long cid) {
    assertAnswer(bff.post(COLLECT, body, "Authorization", "Bearer " + otherToken), 200, OK);
    CollectRequest sent = bff.interactiveSvc.calls.requests(CollectRequest.class).getLast();
    assertThat(sent.getBiz()).isEqualTo("article");
    assertThat(sent.getBizId()).isEqualTo(42);
    assertThat(sent.getUid()).isEqualTo(otherUid);
    assertThat(sent.getCid()).isEqualTo(cid);
  }

  @Test
  void collectingAgainIsOkToo() {
    int before = bff.interactiveSvc.calls.calls("Collect").size();
    assertAnswer(post(COLLECT, "{\"id\":5,\"cid\":1}"), 200, OK);
    assertAnswer(post(COLLECT, "{\"id\":5,\"cid\":1}"), 200, OK);
    // interactive-svc makes the second a no-op; the BFF keeps no state of its own to refuse it.
    assertThat(bff.interactiveSvc.calls.calls("Collect")).hasSize(before + 2);
  }

  /** Bodies of the right JSON shape whose values the routes refuse: {@code {4,"参数错误"}}. */
  static Stream<Arguments> badParameters() {
    Stream<Arguments> ids =
        Stream.of(
                "0",
                "-0",
                "-1",
                "-9223372036854775808",
                "9223372036854775808", // 2^63
                "18446744073709551616",
                "99999999999999999999999",
                "1.5",
                "1.0",
                "42.0",
                "1e3",
                "1E2",
                "-1.5",
                "null")
            .flatMap(
                id ->
                    Stream.of(
                        Arguments.of("like id " + id, LIKE, "{\"id\":" + id + ",\"like\":true}"),
                        Arguments.of("cancel id " + id, LIKE, "{\"id\":" + id + ",\"like\":false}"),
                        Arguments.of("collect id " + id, COLLECT, "{\"id\":" + id + "}")));
    Stream<Arguments> others =
        Stream.of(
            Arguments.of("like without id", LIKE, "{\"like\":true}"),
            Arguments.of("like without like", LIKE, "{\"id\":42}"),
            Arguments.of("like null", LIKE, "{\"id\":42,\"like\":null}"),
            Arguments.of("like empty object", LIKE, "{}"),
            Arguments.of("collect without id", COLLECT, "{\"cid\":1}"),
            Arguments.of("collect empty object", COLLECT, "{}"),
            Arguments.of("collect cid -1", COLLECT, "{\"id\":42,\"cid\":-1}"),
            Arguments.of("collect cid -2^63", COLLECT, "{\"id\":42,\"cid\":-9223372036854775808}"),
            Arguments.of("collect cid 2^63", COLLECT, "{\"id\":42,\"cid\":9223372036854775808}"),
            Arguments.of("collect cid 1.5", COLLECT, "{\"id\":42,\"cid\":1.5}"),
            Arguments.of("collect cid 0.0", COLLECT, "{\"id\":42,\"cid\":0.0}"),
            Arguments.of("collect cid 1e1", COLLECT, "{\"id\":42,\"cid\":1e1}"));
    return Stream.concat(ids, others);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badParameters")
  void badFieldsAreBadParametersAndNeverReachInteractiveSvc(String name, String path, String body) {
    int before = writes();
    assertAnswer(post(path, body), 200, BAD_PARAMETER);
    assertThat(writes()).as("interactive-svc not asked").isEqualTo(before);
  }

  /** Bodies that are not the route's JSON (wrong JSON types included): 400. */
  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("like not JSON", LIKE, "id=1&like=true"),
        Arguments.of("like empty body", LIKE, ""),
        Arguments.of("like JSON null", LIKE, "null"),
        Arguments.of("like an array", LIKE, "[42,true]"),
        Arguments.of("like a number", LIKE, "42"),
        Arguments.of("like trailing garbage", LIKE, "{\"id\":42,\"like\":true} x"),
        Arguments.of("like truncated", LIKE, "{\"id\":42,\"like\":tr"),
        Arguments.of("like id with leading zeros (not JSON)", LIKE, "{\"id\":042,\"like\":true}"),
        Arguments.of("like id NaN (not JSON)", LIKE, "{\"id\":NaN,\"like\":true}"),
        Arguments.of("like id a string", LIKE, "{\"id\":\"abc\",\"like\":true}"),
        Arguments.of("like id a numeric string", LIKE, "{\"id\":\"42\",\"like\":true}"),
        Arguments.of("like id a boolean", LIKE, "{\"id\":true,\"like\":true}"),
        Arguments.of("like id an object", LIKE, "{\"id\":{},\"like\":true}"),
        Arguments.of("like id an array", LIKE, "{\"id\":[42],\"like\":true}"),
        Arguments.of("like a string", LIKE, "{\"id\":42,\"like\":\"true\"}"),
        Arguments.of("like the string false", LIKE, "{\"id\":42,\"like\":\"false\"}"),
        Arguments.of("like a number 1", LIKE, "{\"id\":42,\"like\":1}"),
        Arguments.of("like a number 0", LIKE, "{\"id\":42,\"like\":0}"),
        Arguments.of("like an object", LIKE, "{\"id\":42,\"like\":{}}"),
        Arguments.of("like valid but wrong-typed id", LIKE, "{\"id\":\"0\",\"like\":null}"),
        Arguments.of("collect not JSON", COLLECT, "id=1"),
        Arguments.of("collect empty body", COLLECT, ""),
        Arguments.of("collect JSON null", COLLECT, "null"),
        Arguments.of("collect an array", COLLECT, "[]"),
        Arguments.of("collect id a string", COLLECT, "{\"id\":\"abc\"}"),
        Arguments.of("collect id a numeric string", COLLECT, "{\"id\":\"42\"}"),
        Arguments.of("collect cid a string", COLLECT, "{\"id\":42,\"cid\":\"0\"}"),
        Arguments.of("collect cid a boolean", COLLECT, "{\"id\":42,\"cid\":false}"),
        Arguments.of("collect cid an array", COLLECT, "{\"id\":42,\"cid\":[1]}"),
        Arguments.of("collect trailing garbage", COLLECT, "{\"id\":42}{}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void unparseableBodiesAre400(String name, String path, String body) {
    int before = writes();
    assertAnswer(post(path, body), 400, BAD_BODY);
    assertThat(writes()).as("interactive-svc not asked").isEqualTo(before);
  }

  static Stream<Arguments> routes() {
    return Stream.of(
        Arguments.of(LIKE, "{\"id\":42,\"like\":true}"),
        Arguments.of(COLLECT, "{\"id\":42,\"cid\":0}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void bothRoutesNeedALogin(String path, String body) {
    int before = writes();
    String loggedOut =
        TestBff.accessToken(
            bff.signupAndLogin(
                path.substring(path.lastIndexOf('/') + 1) + "-out@test.com", PASSWORD));
    assertThat(bff.post("/users/logout", "", "Authorization", "Bearer " + loggedOut).statusCode())
        .isEqualTo(200);
    for (String[] headers :
        List.of(
            new String[0],
            new String[] {"Authorization", "Bearer null"},
            new String[] {"Authorization", "Bearer " + token + "x"},
            new String[] {"Authorization", token},
            new String[] {"Authorization", "Bearer " + loggedOut})) {
      HttpResponse<String> r = bff.post(path, body, headers);
      assertThat(r.statusCode()).as(Arrays.toString(headers)).isEqualTo(401);
      assertThat(r.body()).isEmpty();
    }
    assertThat(writes()).as("interactive-svc not asked").isEqualTo(before);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("routes")
  void theyArePostOnly(String path, String body) {
    int before = writes();
    // GET is the reader view's route, whose id "like"/"collect" is not a positive int64.
    assertAnswer(bff.get(path, "Authorization", "Bearer " + token), 200, BAD_PARAMETER);
    HttpResponse<String> put =
        bff.send(
            bff.request(path, "Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(put.statusCode()).isIn(404, 405);
    assertThat(writes()).isEqualTo(before);
  }

  /** Each route and method with each non-OK gRPC status → its answer. */
  static Stream<Arguments> interactiveSvcStatuses() {
    record Route(String name, String method, String path, String body) {}
    List<Route> routes =
        List.of(
            new Route("like", "Like", LIKE, "{\"id\":42,\"like\":true}"),
            new Route("cancel like", "CancelLike", LIKE, "{\"id\":42,\"like\":false}"),
            new Route("collect", "Collect", COLLECT, "{\"id\":42,\"cid\":3}"));
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
                                route.path(),
                                route.body(),
                                code == Status.Code.INVALID_ARGUMENT
                                    ? BAD_PARAMETER
                                    : SYSTEM_ERROR)));
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("interactiveSvcStatuses")
  void mapsEveryInteractiveSvcStatus(
      String route, String method, Status.Code code, String path, String body, String expected) {
    bff.interactiveSvc.calls.failWith(
        method, Status.fromCode(code).withDescription("internal detail: shard intr-3 down"));
    int before = bff.interactiveSvc.calls.calls(method).size();
    HttpResponse<String> r = post(path, body);
    assertAnswer(r, 200, expected);
    assertThat(r.body()).doesNotContain("intr-3");
    assertThat(bff.interactiveSvc.calls.calls(method))
        .as("the failing method was asked once")
        .hasSize(before + 1);
  }

  @Test
  void aFailedWriteIsNotADegradation() {
    double before =
        bff.metrics.find("bff.degraded").counters().stream().mapToDouble(c -> c.count()).sum();
    for (String method : WRITES) {
      bff.interactiveSvc.calls.failWith(method, Status.UNAVAILABLE);
    }
    assertAnswer(post(LIKE, "{\"id\":42,\"like\":true}"), 200, SYSTEM_ERROR);
    assertAnswer(post(LIKE, "{\"id\":42,\"like\":false}"), 200, SYSTEM_ERROR);
    assertAnswer(post(COLLECT, "{\"id\":42}"), 200, SYSTEM_ERROR);
    assertThat(
            bff.metrics.find("bff.degraded").counters().stream().mapToDouble(c -> c.count()).sum())
        .as("a write that failed is an error the user sees, not a degraded answer")
        .isEqualTo(before);
    // The request logger meters after the answer went out: wait for it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        bff
                            .metrics
                            .find("http.server.requests")
                            .tag("route", LIKE)
                            .tag("outcome", "server_error")
                            .timers()
                            .stream()
                            .mapToLong(t -> t.count())
                            .sum())
                    .as("metered as a server error although sent with HTTP 200")
                    .isGreaterThanOrEqualTo(2));
  }

  @Test
  void theSameUserCanLikeUnlikeAndCollectInTurn() {
    Map<String, Integer> before =
        Map.of(
            "Like", bff.interactiveSvc.calls.calls("Like").size(),
            "CancelLike", bff.interactiveSvc.calls.calls("CancelLike").size(),
            "Collect", bff.interactiveSvc.calls.calls("Collect").size());
    assertAnswer(post(LIKE, "{\"id\":77,\"like\":true}"), 200, OK);
    assertAnswer(post(LIKE, "{\"id\":77,\"like\":false}"), 200, OK);
    assertAnswer(post(LIKE, "{\"id\":77,\"like\":true}"), 200, OK);
    assertAnswer(post(COLLECT, "{\"id\":77}"), 200, OK);
    assertThat(bff.interactiveSvc.calls.calls("Like")).hasSize(before.get("Like") + 2);
    assertThat(bff.interactiveSvc.calls.calls("CancelLike")).hasSize(before.get("CancelLike") + 1);
    assertThat(bff.interactiveSvc.calls.calls("Collect")).hasSize(before.get("Collect") + 1);
  }
}
