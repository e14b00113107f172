package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestStack;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The login check, CORS and the request conventions through real HTTP, with real Redis: every kind
 * of bad token is an empty 401 (and counted by reason), preflights never need a token, foreign
 * origins get no CORS grant, bad and oversized bodies get 400 and 413.
 */
class AuthIT {
  private static Redis redis;
  private static TestBff bff;
  private static long uid;
  private static String ssid;
  private static String access;

  @BeforeAll
  static void start() {
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
    bff = TestBff.withRedis(redis, Map.of());
    HttpResponse<String> login =
        bff.signupAndLogin(TestStack.unique("auth") + "@test.com", "hello#world123");
    access = TestBff.accessToken(login);
    uid = JWT.decode(access).getClaim("Uid").asLong();
    ssid = JWT.decode(access).getClaim("Ssid").asString();
  }

  @AfterAll
  static void stop() {
    bff.close();
    redis.close();
  }

  private static String signed(String key, Instant expiresAt, long userId, String userAgent) {
    return JWT.create()
        .withClaim("Uid", userId)
        .withClaim("Ssid", ssid)
        .withClaim("UserAgent", userAgent)
        .withExpiresAt(expiresAt)
        .sign(Algorithm.HMAC256(key.getBytes(StandardCharsets.UTF_8)));
  }

  static Stream<Arguments> badAuthorizations() {
    String key = bff.config.jwt().accessKey();
    Instant later = Instant.now().plus(Duration.ofMinutes(10));
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String noneToken =
        b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(
                ("{\"Uid\":"
                        + uid
                        + ",\"Ssid\":\""
                        + ssid
                        + "\",\"UserAgent\":\""
                        + TestBff.USER_AGENT
                        + "\",\"exp\":"
                        + later.getEpochSecond()
                        + "}")
                    .getBytes(StandardCharsets.UTF_8))
            + ".";
    return Stream.of(
        Arguments.of("no header", null, "missing"),
        Arguments.of("Bearer null", "Bearer null", "malformed"),
        Arguments.of("Bearer and nothing", "Bearer ", "missing"),
        Arguments.of("another scheme", "Basic dXNlcjpwYXNz", "missing"),
        Arguments.of("token without scheme", access, "missing"),
        Arguments.of("garbage", "Bearer garbage", "malformed"),
        Arguments.of(
            "expired",
            "Bearer " + signed(key, Instant.now().minusSeconds(5), uid, TestBff.USER_AGENT),
            "expired"),
        Arguments.of(
            "signed with another key",
            "Bearer "
                + signed(
                    "some-other-key-0123456789abcdef0123456789", later, uid, TestBff.USER_AGENT),
            "signature"),
        Arguments.of(
            "the refresh key",
            "Bearer " + signed(bff.config.jwt().refreshKey(), later, uid, TestBff.USER_AGENT),
            "signature"),
        Arguments.of("alg none", "Bearer " + noneToken, "algorithm"),
        Arguments.of("Uid 0", "Bearer " + signed(key, later, 0, TestBff.USER_AGENT), "claims"),
        Arguments.of(
            "issued to another User-Agent",
            "Bearer " + signed(key, later, uid, "curl/8.0"),
            "user_agent"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAuthorizations")
  void refusesWithAnEmpty401(String name, String authorization, String reason) {
    double before = bff.authFailures("access", reason);
    HttpResponse<String> r =
        authorization == null
            ? bff.get("/users/profile")
            : bff.get("/users/profile", "Authorization", authorization);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(bff.authFailures("access", reason))
        .as("counted as %s", reason)
        .isEqualTo(before + 1);
  }

  @Test
  void theSameTokenFromAnotherBrowserIs401() {
    assertThat(bff.get("/users/profile", "Authorization", "Bearer " + access).statusCode())
        .isEqualTo(200);
    HttpResponse<String> other =
        bff.get("/users/profile", "Authorization", "Bearer " + access, "User-Agent", "Other/2.0");
    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(other.body()).isEmpty();
  }

  @Test
  void preflightNeverNeedsAToken() {
    double missingBefore = bff.authFailures("access", "missing");
    HttpResponse<String> r =
        bff.send(
            bff.request(
                    "/users/profile",
                    "Origin",
                    "http://localhost:3000",
                    "Access-Control-Request-Method",
                    "GET",
                    "Access-Control-Request-Headers",
                    "authorization")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:3000");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods"))
        .hasValue("GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers"))
        .hasValue("Content-Type, Authorization");
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValue("x-jwt-token, x-refresh-token");
    assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("43200");
    assertThat(bff.authFailures("access", "missing"))
        .as("a preflight is no auth failure")
        .isEqualTo(missingBefore);
  }

  @Test
  void foreignOriginsGetNoCorsGrant() {
    HttpResponse<String> preflight =
        bff.send(
            bff.request(
                    "/users/login",
                    "Origin",
                    "https://evil.example",
                    "Access-Control-Request-Method",
                    "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    assertThat(preflight.statusCode()).isEqualTo(403);
    assertThat(preflight.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));

    HttpResponse<String> get = bff.get("/hello", "Origin", "https://evil.example");
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.headers().map().keySet())
        .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("access-control-"));
  }

  @Test
  void unauthorizedAnswersStillCarryCorsHeadersSoTheClientCanSeeThem() {
    HttpResponse<String> r = bff.get("/users/profile", "Origin", "http://localhost:3000");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("http://localhost:3000");
  }

  @Test
  void unparseableJsonIs400WithTheExactBody() {
    HttpResponse<String> r = bff.post("/users/login", "{\"email\":");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"code\":4,\"msg\":\"请求格式错误\",\"data\":null}");
  }

  @Test
  void bodiesOverOneMebibyteAre413() {
    byte[] twoMiB =
        ("{\"email\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> withLength =
        bff.send(
            bff.request("/users/login")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(twoMiB)));
    assertThat(withLength.statusCode()).isEqualTo(413);
    assertThat(withLength.body()).isEqualTo("{\"code\":4,\"msg\":\"请求体过大\",\"data\":null}");

    // Without Content-Length (chunked) the limit applies while reading.
    HttpResponse<String> chunked =
        bff.send(
            bff.request("/users/login")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(twoMiB))));
    assertThat(chunked.statusCode()).isEqualTo(413);

    HttpResponse<String> justUnder =
        bff.post(
            "/users/login",
            "{\"email\":\"" + "a".repeat(1024 * 1024 - 100) + "\",\"password\":\"x\"}");
    assertThat(justUnder.statusCode()).as("under the limit: read and answered").isEqualTo(200);
  }
}
