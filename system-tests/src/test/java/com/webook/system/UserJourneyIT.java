package com.webook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.testsupport.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Browser-shaped HTTP calls → bff-gateway → user-svc (two instances, found through etcd, picked by
 * our balancer) → MariaDB/Redis, every process from its production jar (SPEC §2, §4).
 */
class UserJourneyIT {
  private static final AtomicLong IPS =
      new AtomicLong(ThreadLocalRandom.current().nextInt(1 << 20));
  private static WebookCluster cluster;
  private static Http http;

  @BeforeAll
  static void start() {
    cluster = new WebookCluster().startWechat();
    cluster.startUserSvc();
    cluster.startUserSvc();
    cluster.startArticleSvc(); // the BFF is ready only with every downstream connected
    cluster.startInteractiveSvc();
    // 30 per IP and minute: a window far longer than any test needs, so the limit test's count is
    // exact however slow the machine is; every other test sends fewer than 30 from one IP.
    cluster.startBff(Map.of("WEBOOK_RATE_LIMIT_LIMIT", "30", "WEBOOK_RATE_LIMIT_WINDOW", "1m"));
    http = new Http(cluster.baseUrl());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /**
   * A client IP of its own (the BFF trusts X-Forwarded-For here), so the IP limit stays out of the
   * way.
   */
  private static String ip() {
    long n = IPS.incrementAndGet();
    return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
  }

  private static String email() {
    return TestStack.unique("e2e") + "@webook.test";
  }

  private static String phone() {
    return "13" + String.format("%09d", ThreadLocalRandom.current().nextInt(1_000_000_000));
  }

  @Test
  void signupLoginProfileEditRefreshLogout() {
    String ip = ip();
    String email = email();
    Map<String, String> signup =
        Map.of("email", email, "password", "hello#world123", "confirmPassword", "hello#world123");
    assertThat(http.post("/users/signup", signup, "X-Forwarded-For", ip).json())
        .isEqualTo(envelope(0, "注册成功"));
    assertThat(http.post("/users/signup", signup, "X-Forwarded-For", ip).json())
        .isEqualTo(envelope(401003, "邮箱冲突"));
    assertThat(
            http.post(
                    "/users/login",
                    Map.of("email", email, "password", "wrong#pass123"),
                    "X-Forwarded-For",
                    ip)
                .json())
        .isEqualTo(envelope(401002, "用户名或者密码不对"));

    Http.Answer login =
        http.post(
            "/users/login",
            Map.of("email", email, "password", "hello#world123"),
            "Origin",
            "http://localhost:3000",
            "X-Forwarded-For",
            ip);
    assertThat(login.json()).isEqualTo(envelope(0, "登录成功"));
    String access = login.header("x-jwt-token");
    String refresh = login.header("x-refresh-token");
    assertThat(access).isNotBlank();
    assertThat(refresh).isNotBlank().isNotEqualTo(access);
    assertThat(login.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
    assertThat(login.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    assertThat(login.header("Access-Control-Expose-Headers"))
        .containsIgnoringCase("x-jwt-token")
        .containsIgnoringCase("x-refresh-token");

    Http.Answer profile =
        http.get("/users/profile", "Authorization", "Bearer " + access, "X-Forwarded-For", ip);
    assertThat(profile.status()).isEqualTo(200);
    assertThat(profile.json().get("Email").asText()).isEqualTo(email);
    assertThat(fieldNames(profile.json()))
        .containsExactlyInAnyOrder("Email", "Phone", "Nickname", "Birthday", "AboutMe");

    assertThat(
            http.post(
                    "/users/edit",
                    Map.of("nickname", "小明", "birthday", "1990-05-17", "aboutMe", "写代码"),
                    "Authorization",
                    "Bearer " + access,
                    "X-Forwarded-For",
                    ip)
                .json())
        .isEqualTo(envelope(0, "OK"));
    JsonNode edited =
        http.get("/users/profile", "Authorization", "Bearer " + access, "X-Forwarded-For", ip)
            .json();
    assertThat(edited.get("Nickname").asText()).isEqualTo("小明");
    assertThat(edited.get("Birthday").asText()).isEqualTo("1990-05-17");
    assertThat(edited.get("AboutMe").asText()).isEqualTo("写代码");

    Http.Answer refreshed =
        http.post(
            "/users/refresh_token",
            Map.of(),
            "Authorization",
            "Bearer " + refresh,
            "X-Forwarded-For",
            ip);
    assertThat(refreshed.json()).isEqualTo(envelope(0, "刷新成功"));
    String access2 = refreshed.header("x-jwt-token");
    assertThat(
            http.get("/users/profile", "Authorization", "Bearer " + access2, "X-Forwarded-For", ip)
                .status())
        .isEqualTo(200);

    assertThat(
            http.post(
                    "/users/logout",
                    Map.of(),
                    "Authorization",
                    "Bearer " + access,
                    "X-Forwarded-For",
                    ip)
                .json())
        .isEqualTo(envelope(0, "退出登录成功"));
    assertThat(
            http.get("/users/profile", "Authorization", "Bearer " + access, "X-Forwarded-For", ip)
                .status())
        .isEqualTo(401);
    assertThat(
            http.get("/users/profile", "Authorization", "Bearer " + access2, "X-Forwarded-For", ip)
                .status())
        .isEqualTo(401);
    assertThat(
            http.post(
                    "/users/refresh_token",
                    Map.of(),
                    "Authorization",
                    "Bearer " + refresh,
                    "X-Forwarded-For",
                    ip)
                .status())
        .isEqualTo(401);
    for (String bad :
        List.of("Bearer null", "Bearer garbage", "Bearer " + access + "x", "Basic abc")) {
      assertThat(http.get("/users/profile", "Authorization", bad, "X-Forwarded-For", ip).status())
          .as(bad)
          .isEqualTo(401);
    }
  }

  @Test
  void smsLoginCodeIsDeliveredRateLimitedBurntAndLocked() {
    String ip = ip();
    String phone = phone();
    assertThat(
            http.post("/users/login_sms/code/send", Map.of("phone", phone), "X-Forwarded-For", ip)
                .json())
        .isEqualTo(envelope(0, "发送成功"));
    assertThat(
            http.post("/users/login_sms/code/send", Map.of("phone", phone), "X-Forwarded-For", ip)
                .json())
        .isEqualTo(envelope(4, "短信发送太频繁，请稍后再试"));
    String code =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> cluster.lastCodeSentTo(phone), c -> c != null);

    Http.Answer login =
        http.post("/users/login_sms", Map.of("phone", phone, "code", code), "X-Forwarded-For", ip);
    assertThat(login.json()).isEqualTo(envelope(0, "登录成功"));
    assertThat(login.header("x-jwt-token")).isNotBlank();
    JsonNode profile =
        http.get(
                "/users/profile",
                "Authorization",
                "Bearer " + login.header("x-jwt-token"),
                "X-Forwarded-For",
                ip)
            .json();
    assertThat(profile.get("Phone").asText()).isEqualTo(phone);
    assertThat(profile.get("Email").asText()).isEmpty();
    assertThat(
            http.post(
                    "/users/login_sms", Map.of("phone", phone, "code", code), "X-Forwarded-For", ip)
                .json())
        .as("a code works once")
        .isEqualTo(envelope(4, "验证码错误"));

    // Another phone: three wrong codes lock it, even against the right one.
    String other = phone();
    http.post("/users/login_sms/code/send", Map.of("phone", other), "X-Forwarded-For", ip);
    String right =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> cluster.lastCodeSentTo(other), c -> c != null);
    String wrong = right.equals("000000") ? "111111" : "000000";
    for (int i = 0; i < 3; i++) {
      assertThat(
              http.post(
                      "/users/login_sms",
                      Map.of("phone", other, "code", wrong),
                      "X-Forwarded-For",
                      ip)
                  .json())
          .isEqualTo(envelope(4, "验证码错误"));
    }
    assertThat(
            http.post(
                    "/users/login_sms",
                    Map.of("phone", other, "code", right),
                    "X-Forwarded-For",
                    ip)
                .json())
        .isEqualTo(envelope(4, "验证码错误"));
  }

  @Test
  void wechatLoginChecksTheStateCookieAndCreatesTheUserOnce() throws Exception {
    String ip = ip();
    HttpClient browser =
        HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    HttpResponse<String> authUrl =
        browser.send(
            HttpRequest.newBuilder(URI.create(cluster.baseUrl() + "/oauth2/wechat/authurl"))
                .header("X-Forwarded-For", ip)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode body = Http.JSON.readTree(authUrl.body());
    assertThat(body.get("code").asInt()).isZero();
    String url = body.get("data").asText();
    assertThat(url)
        .startsWith("https://open.weixin.qq.com/connect/qrconnect?appid=")
        .endsWith("#wechat_redirect");
    assertThat(authUrl.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            c ->
                assertThat(c)
                    .startsWith("jwt-state=")
                    .containsIgnoringCase("HttpOnly")
                    .contains("Path=/oauth2/wechat/callback"));
    Matcher m = Pattern.compile("[?&]state=([^&#]+)").matcher(url);
    assertThat(m.find()).isTrue();
    String state = m.group(1);

    String openId = TestStack.unique("openid");
    HttpResponse<String> forged =
        browser.send(
            HttpRequest.newBuilder(
                    URI.create(
                        cluster.baseUrl()
                            + "/oauth2/wechat/callback?code=c-"
                            + openId
                            + "&state=not-"
                            + state))
                .header("X-Forwarded-For", ip)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(Http.JSON.readTree(forged.body())).isEqualTo(envelope(4, "非法请求"));

    HttpResponse<String> ok =
        browser.send(
            HttpRequest.newBuilder(
                    URI.create(
                        cluster.baseUrl()
                            + "/oauth2/wechat/callback?code=c-"
                            + openId
                            + "&state="
                            + state))
                .header("X-Forwarded-For", ip)
                .header("User-Agent", "webook-e2e/1.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(Http.JSON.readTree(ok.body())).isEqualTo(envelope(0, "登录成功"));
    assertThat(ok.headers().firstValue("x-jwt-token")).isPresent();

    // Logging in with the same WeChat account again finds the same user.
    long firstUid = uidOf(ok.headers().firstValue("x-jwt-token").orElseThrow());
    HttpResponse<String> again =
        browser.send(
            HttpRequest.newBuilder(URI.create(cluster.baseUrl() + "/oauth2/wechat/authurl"))
                .header("X-Forwarded-For", ip)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m2 =
        Pattern.compile("[?&]state=([^&#]+)")
            .matcher(Http.JSON.readTree(again.body()).get("data").asText());
    assertThat(m2.find()).isTrue();
    HttpResponse<String> second =
        browser.send(
            HttpRequest.newBuilder(
                    URI.create(
                        cluster.baseUrl()
                            + "/oauth2/wechat/callback?code=c-"
                            + openId
                            + "&state="
                            + m2.group(1)))
                .header("X-Forwarded-For", ip)
                .header("User-Agent", "webook-e2e/1.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(uidOf(second.headers().firstValue("x-jwt-token").orElseThrow())).isEqualTo(firstUid);
  }

  @Test
  void fiftyParallelSignupsWithOneEmailMakeExactlyOneUser() throws Exception {
    String email = email();
    Map<String, String> signup =
        Map.of("email", email, "password", "hello#world123", "confirmPassword", "hello#world123");
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String ip = ip();
      calls.add(() -> http.post("/users/signup", signup, "X-Forwarded-For", ip).code());
    }
    List<Integer> codes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(50)) {
      for (Future<Integer> f : pool.invokeAll(calls)) {
        codes.add(f.get());
      }
    }
    assertThat(codes.stream().filter(c -> c == 0).count()).isEqualTo(1);
    assertThat(codes.stream().filter(c -> c == 401003).count()).isEqualTo(49);
  }

  @Test
  void moreThanTheLimitFromOneIpIs429AndOtherIpsAreUnaffected() {
    String noisy = ip();
    int limited = 0;
    for (int i = 0; i < 60; i++) {
      if (http.get("/hello", "X-Forwarded-For", noisy).status() == 429) {
        limited++;
      }
    }
    assertThat(limited).as("the 30 requests over 30/min from one IP").isEqualTo(30);
    assertThat(http.get("/hello", "X-Forwarded-For", ip()).status()).isEqualTo(200);
  }

  @Test
  void callsAreSpreadOverBothUserInstancesAndSurviveOneLeaving() throws Exception {
    String ip = ip();
    String access = newUserAccessToken(ip);
    for (int i = 0; i < 40; i++) {
      assertThat(
              http.get(
                      "/users/profile",
                      "Authorization",
                      "Bearer " + access,
                      "X-Forwarded-For",
                      ip())
                  .status())
          .isEqualTo(200);
    }
    for (WebookCluster.Instance u : cluster.users) {
      assertThat(profileCalls(u)).as("Profile calls served by %s", u.name()).isPositive();
    }

    // A third instance joins, one of the first two leaves (SIGTERM) while profile reads go on.
    WebookCluster.Instance third = cluster.startUserSvc();
    WebookCluster.Instance leaving = cluster.users.get(0);
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Thread load =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    if (http.get(
                                "/users/profile",
                                "Authorization",
                                "Bearer " + access,
                                "X-Forwarded-For",
                                ip())
                            .status()
                        != 200) {
                      failures.incrementAndGet();
                    }
                    done.incrementAndGet();
                  }
                });
    Thread.sleep(500);
    leaving.process().terminate();
    assertThat(leaving.process().waitForExit(Duration.ofSeconds(30))).isZero();
    cluster.users.remove(leaving);
    await().atMost(Duration.ofSeconds(10)).until(() -> profileCalls(third) > 0);
    Thread.sleep(500);
    load.interrupt();
    load.join(10_000);
    assertThat(failures.get())
        .as("failed profile reads of %d while an instance left", done.get())
        .isZero();
  }

  private static int profile(String access, String... extraHeaders) {
    List<String> headers =
        new ArrayList<>(List.of("Authorization", "Bearer " + access, "X-Forwarded-For", ip()));
    headers.addAll(List.of(extraHeaders));
    return http.get("/users/profile", headers.toArray(String[]::new)).status();
  }

  @Test
  void xRouteGroupSendsTheCallsToTheCanaryInstanceOnly() throws Exception {
    String ip = ip();
    String access = newUserAccessToken(ip);
    WebookCluster.Instance canary = cluster.startUserSvc(Map.of("WEBOOK_REGISTRY_GROUP", "canary"));
    // Until the BFF has seen the canary in etcd, no instance of the group is registered as far as
    // it knows, so a canary call falls back to the stable instances. The first canary call that
    // reaches the canary proves the BFF has it; from then on every canary call goes to it (SPEC
    // §8.3: while it is registered, calls wait for it rather than leak).
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              assertThat(profile(access, "x-route-group", "canary")).isEqualTo(200);
              return profileCalls(canary) > 0;
            });
    Map<String, Double> before = new java.util.HashMap<>();
    for (WebookCluster.Instance u : cluster.users) {
      before.put(u.name(), profileCalls(u));
    }
    for (int i = 0; i < 20; i++) {
      assertThat(profile(access, "x-route-group", "canary")).isEqualTo(200);
    }
    // Profile is a hedged read: a canary call slower than the hedging delay gets a second attempt,
    // and in a lane of one instance that attempt goes to the canary too. So each call is one or
    // two received Profile messages there, and none anywhere else.
    assertThat(profileCalls(canary) - before.get(canary.name()))
        .as("profile calls on the canary")
        .isBetween(20.0, 40.0);
    for (WebookCluster.Instance u : cluster.users) {
      if (!u.equals(canary)) {
        assertThat(profileCalls(u))
            .as("profile calls on %s", u.name())
            .isEqualTo(before.get(u.name()));
      }
    }

    // Calls without the header never reach the canary.
    double canaryBefore = profileCalls(canary);
    double stableBefore = 0;
    for (WebookCluster.Instance u : cluster.users) {
      if (!u.equals(canary)) {
        stableBefore += profileCalls(u);
      }
    }
    for (int i = 0; i < 20; i++) {
      assertThat(profile(access)).isEqualTo(200);
    }
    double stableAfter = 0;
    for (WebookCluster.Instance u : cluster.users) {
      if (!u.equals(canary)) {
        stableAfter += profileCalls(u);
      }
    }
    assertThat(profileCalls(canary)).as("untagged calls on the canary").isEqualTo(canaryBefore);
    assertThat(stableAfter - stableBefore).isBetween(20.0, 40.0);
  }

  /** Signs a new user up, logs in, and returns the access token. */
  private static String newUserAccessToken(String ip) {
    return http.signUpAndLogIn(email(), ip);
  }

  private static double profileCalls(WebookCluster.Instance u) {
    return WebookCluster.profileCalls(u);
  }

  private static long uidOf(String jwt) throws Exception {
    String payload =
        new String(
            java.util.Base64.getUrlDecoder().decode(jwt.split("\\.", 3)[1]),
            java.nio.charset.StandardCharsets.UTF_8);
    return Http.JSON.readTree(payload).get("Uid").asLong();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode envelope(int code, String msg) {
    return Http.JSON.createObjectNode().put("code", code).put("msg", msg).putNull("data");
  }
}
