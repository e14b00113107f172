package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.testsupport.TestStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's whole life through real HTTP: in-process BFF (built as BffApp builds it), fake user-svc
 * over gRPC, real Redis for sessions and the IP limit.
 */
class UserFlowIT {
  private static final String PASSWORD = "hello#world123";
  private static final String ORIGIN = "http://localhost:3000";
  private static TestBff bff;

  @BeforeAll
  static void start() {
    bff = TestBff.onStackRedis(Map.of());
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  private static String env(int code, String msg) {
    return TestBff.envelope(code, msg);
  }

  private static HttpResponse<String> profile(String accessToken) {
    return bff.get("/users/profile", "Authorization", "Bearer " + accessToken);
  }

  @Test
  void signupLoginProfileEditRefreshLogout() {
    String email = TestStack.unique("flow") + "@test.com";
    String signupBody =
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + PASSWORD
            + "\",\"confirmPassword\":\""
            + PASSWORD
            + "\"}";

    // Sign up, then the same email again.
    HttpResponse<String> signup = bff.post("/users/signup", signupBody);
    assertThat(signup.statusCode()).isEqualTo(200);
    assertThat(signup.body()).isEqualTo(env(0, "注册成功"));
    assertThat(bff.post("/users/signup", signupBody).body()).isEqualTo(env(401003, "邮箱冲突"));

    // Log in from the web client's origin: tokens in headers, readable cross-origin.
    HttpResponse<String> login =
        bff.post(
            "/users/login",
            "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
            "Origin",
            ORIGIN);
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).isEqualTo(env(0, "登录成功"));
    String access = TestBff.accessToken(login);
    String refresh = TestBff.refreshToken(login);
    assertThat(access).isNotBlank().isNotEqualTo(refresh);
    assertThat(login.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ORIGIN);
    assertThat(login.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(login.headers().firstValue("Access-Control-Expose-Headers"))
        .hasValue("x-jwt-token, x-refresh-token");
    assertThat(login.headers().allValues("Vary")).contains("Origin");
    String ssid = JWT.decode(access).getClaim("Ssid").asString();
    assertThat(JWT.decode(refresh).getClaim("Ssid").asString()).isEqualTo(ssid);
    assertThat(java.util.UUID.fromString(ssid).version()).as("ssid is a UUID v4").isEqualTo(4);

    // Profile: the bare object with capitalised keys, nothing set yet.
    HttpResponse<String> before = profile(access);
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.body())
        .isEqualTo(
            "{\"Email\":\""
                + email
                + "\",\"Phone\":\"\",\"Nickname\":\"\",\"Birthday\":\"\",\"AboutMe\":\"\"}");

    // Edit, then the profile shows it.
    HttpResponse<String> edit =
        bff.post(
            "/users/edit",
            "{\"nickname\":\"小明\",\"birthday\":\"1990-01-02\",\"aboutMe\":\"写代码的\",\"email\":\"x@evil.com\",\"phone\":\"13800000000\"}",
            "Authorization",
            "Bearer " + access);
    assertThat(edit.body()).isEqualTo(env(0, "OK"));
    UpdateNonSensitiveInfoRequest update =
        bff.userSvc.requests(UpdateNonSensitiveInfoRequest.class).getLast();
    assertThat(update.getUser().getEmail()).as("only the three fields change").isEmpty();
    assertThat(update.getUser().getPhone()).isEmpty();
    assertThat(update.getUser().getId()).isEqualTo(JWT.decode(access).getClaim("Uid").asLong());
    assertThat(Instant.ofEpochSecond(update.getUser().getBirthday().getSeconds()))
        .as("the day starts at midnight in the configured zone (+08:00)")
        .isEqualTo(Instant.parse("1990-01-01T16:00:00Z"));
    assertThat(profile(access).body())
        .isEqualTo(
            "{\"Email\":\""
                + email
                + "\",\"Phone\":\"\",\"Nickname\":\"小明\",\"Birthday\":\"1990-01-02\",\"AboutMe\":\"写代码的\"}");

    // Refresh before logout: a new access token of the same session that works.
    HttpResponse<String> refreshed =
        bff.post("/users/refresh_token", "", "Authorization", "Bearer " + refresh);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    assertThat(refreshed.body()).isEqualTo(env(0, "刷新成功"));
    String access2 = TestBff.accessToken(refreshed);
    assertThat(JWT.decode(access2).getClaim("Ssid").asString()).isEqualTo(ssid);
    assertThat(refreshed.headers().firstValue("x-refresh-token"))
        .as("the refresh token is not rotated")
        .isEmpty();
    assertThat(profile(access2).statusCode()).isEqualTo(200);

    // Logout: both headers emptied, the session remembered in Redis for the refresh lifetime.
    HttpResponse<String> logout =
        bff.post("/users/logout", "", "Authorization", "Bearer " + access);
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(logout.body()).isEqualTo(env(0, "退出登录成功"));
    assertThat(logout.headers().firstValue("x-jwt-token")).hasValue("");
    assertThat(logout.headers().firstValue("x-refresh-token")).hasValue("");
    String key = "users:ssid:" + ssid;
    assertThat(bff.redis().connection().sync().get(key)).isEqualTo("");
    assertThat(bff.redis().connection().sync().ttl(key))
        .isBetween(Duration.ofDays(7).toSeconds() - 60, Duration.ofDays(7).toSeconds());

    // Every token of the session is dead now.
    HttpResponse<String> after = profile(access);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).isEmpty();
    assertThat(profile(access2).statusCode())
        .as("the refreshed token belongs to the same session")
        .isEqualTo(401);
    HttpResponse<String> refreshAfter =
        bff.post("/users/refresh_token", "", "Authorization", "Bearer " + refresh);
    assertThat(refreshAfter.statusCode()).isEqualTo(401);
    assertThat(refreshAfter.body()).isEmpty();
    assertThat(bff.authFailures("access", "logged_out")).isGreaterThanOrEqualTo(2);
    assertThat(bff.authFailures("refresh", "logged_out")).isGreaterThanOrEqualTo(1);

    // A new login is a new session, unaffected by the old logout.
    HttpResponse<String> again =
        bff.post("/users/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(JWT.decode(TestBff.accessToken(again)).getClaim("Ssid").asString())
        .isNotEqualTo(ssid);
    assertThat(profile(TestBff.accessToken(again)).statusCode()).isEqualTo(200);
  }
}
