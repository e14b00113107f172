package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestStack;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The access log (SPEC §10) of a login-heavy session, captured from Logback: one line per request
 * with its facts, bodies and headers when enabled, and not one password, code, token or cookie
 * anywhere in any log line of the process.
 */
class AccessLogIT {
  private static final String PASSWORD = "Sup3r#Secret!pw";
  private static final String SMS_CODE = "sms-code-8c1f2e";
  private static final String WECHAT_CODE = "wechat-code-5d7a9b";
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger access = (Logger) LoggerFactory.getLogger("com.webook.bff.access");
  private Level accessLevel;
  private Redis redis;

  @BeforeEach
  void capture() {
    accessLevel = access.getLevel();
    access.setLevel(Level.INFO);
    captured.start();
    root.addAppender(captured);
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
  }

  @AfterEach
  void release() {
    root.detachAppender(captured);
    access.setLevel(accessLevel);
    redis.close();
  }

  private List<String> accessLines() {
    return captured.list.stream()
        .filter(e -> e.getLoggerName().equals("com.webook.bff.access"))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private String everything() {
    StringBuilder all = new StringBuilder();
    for (ILoggingEvent e : captured.list) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        all.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void logsEveryRequestWithMaskedBodiesAndNoSecretAnywhere() {
    try (TestBff bff = TestBff.withRedis(redis, Map.of("WEBOOK_ACCESS_LOG_BODIES", "true"))) {
      String email = TestStack.unique("log") + "@test.com";
      HttpResponse<String> login = bff.signupAndLogin(email, PASSWORD);
      String access = TestBff.accessToken(login);
      String refresh = TestBff.refreshToken(login);
      bff.get("/users/profile", "Authorization", "Bearer " + access);
      bff.post("/users/refresh_token", "", "Authorization", "Bearer " + refresh);

      bff.userSvc.nextCode(SMS_CODE);
      bff.post("/users/login_sms/code/send", "{\"phone\":\"13812345678\"}");
      HttpResponse<String> sms =
          bff.post("/users/login_sms", "{\"phone\":\"13812345678\",\"code\":\"" + SMS_CODE + "\"}");

      bff.userSvc.wechatAccepts(WECHAT_CODE, "open-log", "union-log");
      HttpResponse<String> auth = bff.get("/oauth2/wechat/authurl");
      String url = TestBff.json(auth).get("data").asText();
      String state = url.substring(FakeUserSvc.WECHAT_URL.length(), url.indexOf('#'));
      String cookie = auth.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
      HttpResponse<String> wechat =
          bff.get(
              "/oauth2/wechat/callback?code=" + WECHAT_CODE + "&state=" + state, "Cookie", cookie);
      bff.userSvc.failWith("Profile", Status.INTERNAL.withDescription("boom"));
      bff.get("/users/profile", "Authorization", "Bearer " + access);

      // The line is written once the response is out: wait for the last one.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(accessLines()).as("one line per request").hasSize(9));
      List<String> lines = accessLines();
      String loginLine =
          lines.stream().filter(l -> l.contains("path=/users/login ")).findFirst().orElseThrow();
      assertThat(loginLine)
          .contains(
              "method=POST",
              "status=200",
              "durationMs=",
              "requestBytes=",
              "responseBytes=43",
              "ip=" + bff.clientIp,
              "requestId=",
              "requestBody={\"email\":\"" + email + "\",\"password\":\"***\"}",
              "responseBody={\"code\":0,\"msg\":\"登录成功\",\"data\":null}",
              "x-jwt-token=***;",
              "x-refresh-token=***;",
              "User-Agent=" + TestBff.USER_AGENT);
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).contains("path=/users/signup", "\"confirmPassword\":\"***\""));
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).contains("path=/users/profile", "Authorization=***;"));
      assertThat(lines)
          .anySatisfy(l -> assertThat(l).contains("path=/users/login_sms ", "\"code\":\"***\""));
      assertThat(lines)
          .anySatisfy(
              l -> assertThat(l).contains("path=/oauth2/wechat/authurl", "Set-Cookie=***;"));
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains(
                          "path=/oauth2/wechat/callback", "query=code=***&state=", "Cookie=***;"));

      String all = everything();
      assertThat(all)
          .as("no secret in any log line")
          .doesNotContain(
              PASSWORD,
              SMS_CODE,
              WECHAT_CODE,
              access,
              refresh,
              TestBff.accessToken(sms),
              TestBff.refreshToken(sms),
              TestBff.accessToken(wechat),
              cookie.substring("jwt-state=".length()))
          .doesNotContain(access.substring(access.lastIndexOf('.') + 1));
      assertThat(all)
          .as("the system error is logged with its request id")
          .containsPattern(
              "request [0-9a-f-]{36} GET /users/profile: user.Profile failed: INTERNAL");
    }
  }

  @Test
  void withoutBodiesOnlyTheFacts() {
    try (TestBff bff = TestBff.withRedis(redis, Map.of())) {
      bff.signupAndLogin(TestStack.unique("log") + "@test.com", PASSWORD);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(accessLines()).hasSize(2));
      List<String> lines = accessLines();
      assertThat(lines)
          .allSatisfy(
              l ->
                  assertThat(l)
                      .contains("status=200", "requestId=")
                      .doesNotContain("requestBody", "responseBody", "Headers"));
      assertThat(everything()).doesNotContain(PASSWORD);
    }
  }
}
