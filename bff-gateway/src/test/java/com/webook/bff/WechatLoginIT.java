package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.testsupport.TestStack;
import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** WeChat login (SPEC §2.3, §4.6) through real HTTP: the state cookie, its checks, the login. */
class WechatLoginIT {
  private static TestBff bff;

  @BeforeAll
  static void start() {
    bff = TestBff.onStackRedis(Map.of());
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  private record AuthUrl(String url, String state, String setCookie, String cookie) {}

  private static AuthUrl authUrl(TestBff on) {
    HttpResponse<String> r = on.get("/oauth2/wechat/authurl");
    assertThat(r.statusCode()).isEqualTo(200);
    var body = TestBff.json(r);
    assertThat(body.get("code").asInt()).isZero();
    assertThat(body.get("msg").asText()).isEmpty();
    String url = body.get("data").asText();
    assertThat(url).startsWith(FakeUserSvc.WECHAT_URL).endsWith("#wechat_redirect");
    String state = url.substring(FakeUserSvc.WECHAT_URL.length(), url.indexOf('#'));
    assertThat(on.userSvc.requests(AuthURLRequest.class).getLast().getState()).isEqualTo(state);
    String setCookie =
        r.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("jwt-state="))
            .findFirst()
            .orElseThrow();
    return new AuthUrl(url, state, setCookie, setCookie.split(";", 2)[0]);
  }

  private static String env(int code, String msg) {
    return TestBff.envelope(code, msg);
  }

  @Test
  void authUrlPinsTheStateInASignedHttpOnlyCookieOfTheCallbackPath() {
    AuthUrl a = authUrl(bff);
    List<HttpCookie> parsed = HttpCookie.parse("Set-Cookie: " + a.setCookie());
    HttpCookie cookie = parsed.getFirst();
    assertThat(cookie.getName()).isEqualTo("jwt-state");
    assertThat(cookie.getPath()).isEqualTo("/oauth2/wechat/callback");
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSecure()).as("wechat.secureCookie is false in dev").isFalse();
    assertThat(a.setCookie()).contains("Max-Age=600").containsIgnoringCase("SameSite=Lax");
    var jwt = JWT.decode(cookie.getValue());
    assertThat(jwt.getAlgorithm()).isEqualTo("HS256");
    assertThat(jwt.getClaim("State").asString()).isEqualTo(a.state());
    assertThat(jwt.getExpiresAtAsInstant())
        .isBetween(
            java.time.Instant.now().plusSeconds(540), java.time.Instant.now().plusSeconds(601));
  }

  @Test
  void secureCookieWhenConfigured() {
    try (TestBff secure =
        TestBff.withRedis(bff.redis(), Map.of("WEBOOK_WECHAT_SECURE_COOKIE", "true"))) {
      AuthUrl a = authUrl(secure);
      assertThat(HttpCookie.parse("Set-Cookie: " + a.setCookie()).getFirst().getSecure()).isTrue();
    }
  }

  @Test
  void callbackRefusesAStateThatIsNotTheCookies() {
    bff.userSvc.wechatAccepts("code-1", "open-x", "union-x");
    AuthUrl a = authUrl(bff);
    AuthUrl other = authUrl(bff);
    int verifiesBefore =
        bff.userSvc.requests(com.webook.api.oauth2.v1.VerifyCodeRequest.class).size();

    assertThat(
            bff.get("/oauth2/wechat/callback?code=code-1&state=wrong", "Cookie", a.cookie()).body())
        .isEqualTo(env(4, "非法请求"));
    assertThat(
            bff.get(
                    "/oauth2/wechat/callback?code=code-1&state=" + a.state(),
                    "Cookie",
                    other.cookie())
                .body())
        .as("another login attempt's cookie")
        .isEqualTo(env(4, "非法请求"));
    assertThat(bff.get("/oauth2/wechat/callback?code=code-1&state=" + a.state()).body())
        .as("no cookie")
        .isEqualTo(env(4, "非法请求"));
    assertThat(bff.get("/oauth2/wechat/callback?code=code-1", "Cookie", a.cookie()).body())
        .as("no state")
        .isEqualTo(env(4, "非法请求"));
    assertThat(
            bff.get(
                    "/oauth2/wechat/callback?code=code-1&state=" + a.state(),
                    "Cookie",
                    "jwt-state=forged")
                .body())
        .as("forged cookie")
        .isEqualTo(env(4, "非法请求"));
    assertThat(bff.userSvc.requests(com.webook.api.oauth2.v1.VerifyCodeRequest.class))
        .as("WeChat is never asked")
        .hasSize(verifiesBefore);
  }

  @Test
  void callbackWithTheRightStateLogsIn() {
    String openId = TestStack.unique("open");
    bff.userSvc.wechatAccepts("code-ok", openId, "union-1");
    AuthUrl a = authUrl(bff);
    HttpResponse<String> r =
        bff.get("/oauth2/wechat/callback?code=code-ok&state=" + a.state(), "Cookie", a.cookie());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(env(0, "登录成功"));
    FindOrCreateByWechatRequest created =
        bff.userSvc.requests(FindOrCreateByWechatRequest.class).getLast();
    assertThat(created.getInfo().getOpenId()).isEqualTo(openId);
    assertThat(created.getInfo().getUnionId()).isEqualTo("union-1");
    String access = TestBff.accessToken(r);
    assertThat(TestBff.refreshToken(r)).isNotBlank();
    assertThat(bff.get("/users/profile", "Authorization", "Bearer " + access).statusCode())
        .isEqualTo(200);
    assertThat(r.headers().allValues("Set-Cookie"))
        .as("the state cookie is spent")
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("jwt-state=;")
                    .contains("Path=/oauth2/wechat/callback")
                    .containsAnyOf("Max-Age=0", "Expires=Thu, 01 Jan 1970"));
  }
}
