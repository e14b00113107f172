package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.user.config.SmsProviderConfig;
import com.webook.user.testing.TestDeadline;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Against a fake gateway on loopback. */
class HttpSmsProviderTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final FakeSmsGateway gateway = new FakeSmsGateway();

  @AfterEach
  void stop() {
    gateway.close();
  }

  private HttpSmsProvider provider(Duration timeout, String pointer) {
    return new HttpSmsProvider(
        new SmsProviderConfig.Http(
            "fake", gateway.endpoint(), "app-1", "s3cret", "webook", timeout, pointer, "OK"),
        CLOCK);
  }

  @Test
  void postsTheMessageAsSignedJsonAndChecksTheAnswer() throws Exception {
    try (HttpSmsProvider p = provider(Duration.ofSeconds(5), "/code")) {
      assertThat(
              p.send("login-code", List.of("042917"), List.of("13800001111", "13900002222"), NONE))
          .isEqualTo(SmsDelivery.SENT);
    }

    FakeSmsGateway.Request r = gateway.accepted().getFirst();
    assertThat(r.json().path("appId").asText()).isEqualTo("app-1");
    assertThat(r.json().path("signName").asText()).isEqualTo("webook");
    assertThat(r.json().path("templateId").asText()).isEqualTo("login-code");
    assertThat(r.args()).containsExactly("042917");
    assertThat(r.numbers()).containsExactly("13800001111", "13900002222");
    assertThat(r.header("X-Sms-App-Id")).isEqualTo("app-1");
    assertThat(r.header("X-Sms-Timestamp"))
        .isEqualTo(Long.toString(CLOCK.instant().getEpochSecond()));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("s3cret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signed = r.header("X-Sms-Timestamp") + "\n" + r.header("X-Sms-Nonce") + "\n" + r.body();
    assertThat(r.header("X-Sms-Signature"))
        .isEqualTo(HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8))));
  }

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("HTTP 500", FakeSmsGateway.Mode.ERROR_500, SmsException.Reason.FAILED),
        Arguments.of(
            "vendor throttling (429)",
            FakeSmsGateway.Mode.TOO_MANY_REQUESTS,
            SmsException.Reason.RATE_LIMITED),
        Arguments.of(
            "refused in the body", FakeSmsGateway.Mode.REFUSED, SmsException.Reason.FAILED),
        Arguments.of("body not JSON", FakeSmsGateway.Mode.NOT_JSON, SmsException.Reason.FAILED),
        Arguments.of("connection dropped", FakeSmsGateway.Mode.DOWN, SmsException.Reason.FAILED),
        Arguments.of(
            "slower than the timeout", FakeSmsGateway.Mode.SLOW, SmsException.Reason.TIMEOUT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void failuresMapToReasons(String name, FakeSmsGateway.Mode mode, SmsException.Reason reason) {
    gateway.mode(mode).slowness(Duration.ofSeconds(5));
    try (HttpSmsProvider p = provider(Duration.ofMillis(300), "/code")) {
      assertThatThrownBy(() -> p.send("t", List.of("1"), List.of("13800001111"), NONE))
          .isInstanceOfSatisfying(
              SmsException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
    assertThat(gateway.accepted()).isEmpty();
  }

  @Test
  void anUnreachableGatewayIsAFailure() {
    String endpoint = gateway.endpoint();
    gateway.close();
    try (HttpSmsProvider p =
        new HttpSmsProvider(
            new SmsProviderConfig.Http(
                "fake", endpoint, "a", "s", "w", Duration.ofSeconds(2), "", ""),
            CLOCK)) {
      assertThatThrownBy(() -> p.send("t", List.of(), List.of("13800001111"), NONE))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.FAILED));
    }
  }

  @Test
  void withoutASuccessPointerTheStatusDecides() {
    gateway.mode(FakeSmsGateway.Mode.REFUSED);
    try (HttpSmsProvider p = provider(Duration.ofSeconds(5), "")) {
      assertThat(p.send("t", List.of(), List.of("13800001111"), NONE)).isEqualTo(SmsDelivery.SENT);
    }
  }

  @Test
  void theCallersShorterDeadlineCutsTheRequestAndIsNotTheProvidersTimeout() {
    gateway.mode(FakeSmsGateway.Mode.SLOW).slowness(Duration.ofSeconds(5));
    try (HttpSmsProvider p = provider(Duration.ofSeconds(30), "/code")) {
      TestDeadline callers = TestDeadline.after(Duration.ofMillis(300));
      assertThatThrownBy(() -> p.send("t", List.of(), List.of("13800001111"), callers))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    }
  }

  @Test
  void aCallerPastItsDeadlineSendsNothing() {
    try (HttpSmsProvider p = provider(Duration.ofSeconds(5), "/code")) {
      TestDeadline callers = TestDeadline.after(Duration.ofMillis(-1));
      assertThatThrownBy(() -> p.send("t", List.of(), List.of("13800001111"), callers))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    }
    assertThat(gateway.received()).isEmpty();
  }

  @Test
  void aCallerWhoCancelledSendsNothing() {
    try (HttpSmsProvider p = provider(Duration.ofSeconds(5), "/code")) {
      TestDeadline callers = TestDeadline.unbounded();
      callers.cancel();
      assertThatThrownBy(() -> p.send("t", List.of(), List.of("13800001111"), callers))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    }
    assertThat(gateway.received()).isEmpty();
  }

  @Test
  void theSecretStaysOutOfTheConfigsToString() {
    SmsProviderConfig.Http c =
        new SmsProviderConfig.Http(
            "fake", gateway.endpoint(), "a", "top-secret", "w", Duration.ofSeconds(1), "", "");
    assertThat(c.toString()).doesNotContain("top-secret");
  }
}
