package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.VerifyRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMS login (SPEC §2.3) through real HTTP: send, too frequent, wrong code, right code, same user
 * again.
 */
class SmsLoginIT {
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

  @Test
  void sendTooFrequentWrongCodeThenLogin() {
    String phone = "139" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
    String body = "{\"phone\":\"" + phone + "\"}";

    assertThat(bff.post("/users/login_sms/code/send", body).body()).isEqualTo(env(0, "发送成功"));
    SendRequest sent = bff.userSvc.requests(SendRequest.class).getLast();
    assertThat(sent.getBiz()).isEqualTo("login");
    assertThat(sent.getPhone()).isEqualTo(phone);
    assertThat(bff.post("/users/login_sms/code/send", body).body())
        .isEqualTo(env(4, "短信发送太频繁，请稍后再试"));

    String code = bff.userSvc.sentCode("login", phone).orElseThrow();
    String wrong = code.equals("000000") ? "111111" : "000000";
    HttpResponse<String> rejected =
        bff.post("/users/login_sms", "{\"phone\":\"" + phone + "\",\"code\":\"" + wrong + "\"}");
    assertThat(rejected.body()).isEqualTo(env(4, "验证码错误"));
    assertThat(rejected.headers().firstValue("x-jwt-token")).isEmpty();
    VerifyRequest verify = bff.userSvc.requests(VerifyRequest.class).getLast();
    assertThat(verify.getBiz()).isEqualTo("login");
    assertThat(verify.getInputCode()).isEqualTo(wrong);

    HttpResponse<String> login =
        bff.post("/users/login_sms", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.body()).isEqualTo(env(0, "登录成功"));
    String access = TestBff.accessToken(login);
    assertThat(TestBff.refreshToken(login)).isNotBlank();
    HttpResponse<String> profile = bff.get("/users/profile", "Authorization", "Bearer " + access);
    assertThat(profile.body())
        .isEqualTo(
            "{\"Email\":\"\",\"Phone\":\""
                + phone
                + "\",\"Nickname\":\"\",\"Birthday\":\"\",\"AboutMe\":\"\"}");

    // The same phone again (the fake does not burn codes): the same user, a new session.
    HttpResponse<String> again =
        bff.post("/users/login_sms", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"}");
    assertThat(again.body()).isEqualTo(env(0, "登录成功"));
    assertThat(JWT.decode(TestBff.accessToken(again)).getClaim("Uid").asLong())
        .isEqualTo(JWT.decode(access).getClaim("Uid").asLong());
    assertThat(JWT.decode(TestBff.accessToken(again)).getClaim("Ssid").asString())
        .isNotEqualTo(JWT.decode(access).getClaim("Ssid").asString());
  }
}
