package com.webook.bff.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.webook.bff.config.JwtConfig;
import com.webook.bff.config.WechatConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §2.2 tokens: claims, lifetimes, keys, and every way a token must be refused. */
class JwtTokensTest {
  static final String ACCESS_KEY = "test-access-key-0123456789abcdef0123456789";
  static final String REFRESH_KEY = "test-refresh-key-0123456789abcdef012345678";
  static final Instant NOW = Instant.parse("2024-05-20T08:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final JwtTokens TOKENS =
      new JwtTokens(
          new JwtConfig(ACCESS_KEY, REFRESH_KEY, Duration.ofMinutes(30), Duration.ofDays(7)),
          CLOCK);

  @Test
  void accessTokenCarriesTheSpecsClaimsAndLives30Minutes() {
    String token = TOKENS.issueAccess(42, "ssid-1", "Mozilla/5.0");
    var decoded = JWT.decode(token);
    assertThat(decoded.getAlgorithm()).isEqualTo("HS256");
    assertThat(decoded.getClaims().keySet())
        .containsExactlyInAnyOrder("Uid", "Ssid", "UserAgent", "exp");
    assertThat(decoded.getClaim("Uid").asLong()).isEqualTo(42);
    assertThat(decoded.getExpiresAtAsInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));

    AccessClaims claims = TOKENS.verifyAccess(token);
    assertThat(claims)
        .isEqualTo(new AccessClaims(42, "ssid-1", "Mozilla/5.0", NOW.plus(Duration.ofMinutes(30))));
  }

  @Test
  void refreshTokenCarriesUidSsidExpAndLives7Days() {
    String token = TOKENS.issueRefresh(42, "ssid-1");
    assertThat(JWT.decode(token).getClaims().keySet())
        .containsExactlyInAnyOrder("Uid", "Ssid", "exp");
    assertThat(TOKENS.verifyRefresh(token))
        .isEqualTo(new RefreshClaims(42, "ssid-1", NOW.plus(Duration.ofDays(7))));
  }

  @Test
  void theTwoTokensAreNotInterchangeable() {
    assertRejected(
        () -> TOKENS.verifyRefresh(TOKENS.issueAccess(1, "s", "ua")), Rejection.SIGNATURE);
    assertRejected(() -> TOKENS.verifyAccess(TOKENS.issueRefresh(1, "s")), Rejection.SIGNATURE);
  }

  @Test
  void expiresAtItsExpiry() {
    String token = TOKENS.issueAccess(1, "s", "ua");
    JwtTokens later =
        new JwtTokens(
            new JwtConfig(ACCESS_KEY, REFRESH_KEY, Duration.ofMinutes(30), Duration.ofDays(7)),
            Clock.offset(CLOCK, Duration.ofMinutes(30).plusSeconds(1)));
    assertRejected(() -> later.verifyAccess(token), Rejection.EXPIRED);
    JwtTokens justBefore =
        new JwtTokens(
            new JwtConfig(ACCESS_KEY, REFRESH_KEY, Duration.ofMinutes(30), Duration.ofDays(7)),
            Clock.offset(CLOCK, Duration.ofMinutes(29)));
    assertThat(justBefore.verifyAccess(token).uid()).isEqualTo(1);
  }

  static String sign(String key, String payloadJson) {
    return JWT.create()
        .withPayload(payloadJson)
        .sign(Algorithm.HMAC256(key.getBytes(StandardCharsets.UTF_8)));
  }

  static String unsigned(String headerJson, String payloadJson) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8))
        + ".";
  }

  static Stream<Arguments> badAccessTokens() {
    long exp = NOW.getEpochSecond() + 600;
    String good = "{\"Uid\":7,\"Ssid\":\"s\",\"UserAgent\":\"ua\",\"exp\":" + exp + "}";
    String valid = sign(ACCESS_KEY, good);
    return Stream.of(
        Arguments.of("the literal null", "null", Rejection.MALFORMED),
        Arguments.of("garbage", "garbage.garbage.garbage", Rejection.MALFORMED),
        Arguments.of("empty", "", Rejection.MISSING),
        Arguments.of(
            "alg none, no signature",
            unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", good),
            Rejection.ALGORITHM),
        Arguments.of(
            "alg none with the HS256 signature attached",
            unsigned("{\"alg\":\"none\",\"typ\":\"JWT\"}", good)
                + valid.substring(valid.lastIndexOf('.') + 1),
            Rejection.ALGORITHM),
        Arguments.of(
            "alg HS512 with the right key",
            JWT.create()
                .withPayload(good)
                .sign(Algorithm.HMAC512(ACCESS_KEY.getBytes(StandardCharsets.UTF_8))),
            Rejection.ALGORITHM),
        Arguments.of(
            "another key",
            sign("another-key-0123456789abcdef0123456789abc", good),
            Rejection.SIGNATURE),
        Arguments.of(
            "payload changed after signing",
            valid.substring(0, valid.indexOf('.') + 1)
                + Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(good.replace("7", "8").getBytes(StandardCharsets.UTF_8))
                + valid.substring(valid.lastIndexOf('.')),
            Rejection.SIGNATURE),
        Arguments.of(
            "expired",
            sign(
                ACCESS_KEY,
                good.replace(Long.toString(exp), Long.toString(NOW.getEpochSecond() - 1))),
            Rejection.EXPIRED),
        Arguments.of(
            "no exp",
            sign(ACCESS_KEY, "{\"Uid\":7,\"Ssid\":\"s\",\"UserAgent\":\"ua\"}"),
            Rejection.CLAIMS),
        Arguments.of(
            "Uid 0", sign(ACCESS_KEY, good.replace("\"Uid\":7", "\"Uid\":0")), Rejection.CLAIMS),
        Arguments.of(
            "Uid negative",
            sign(ACCESS_KEY, good.replace("\"Uid\":7", "\"Uid\":-7")),
            Rejection.CLAIMS),
        Arguments.of(
            "Uid a string",
            sign(ACCESS_KEY, good.replace("\"Uid\":7", "\"Uid\":\"7\"")),
            Rejection.CLAIMS),
        Arguments.of("no Uid", sign(ACCESS_KEY, good.replace("\"Uid\":7,", "")), Rejection.CLAIMS),
        Arguments.of(
            "no Ssid", sign(ACCESS_KEY, good.replace("\"Ssid\":\"s\",", "")), Rejection.CLAIMS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badAccessTokens")
  void refusesBadAccessTokens(String name, String token, Rejection reason) {
    assertRejected(() -> TOKENS.verifyAccess(token), reason);
  }

  @Test
  void aTokenSignedWithTheSpecsClaimsByAnotherIssuerOfTheSameKeyIsAccepted() {
    // Interoperability: the Go services sign {Uid, Ssid, UserAgent, exp} with the same key.
    long exp = NOW.getEpochSecond() + 600;
    String token =
        sign(ACCESS_KEY, "{\"Uid\":7,\"Ssid\":\"s\",\"UserAgent\":\"ua\",\"exp\":" + exp + "}");
    assertThat(TOKENS.verifyAccess(token))
        .isEqualTo(new AccessClaims(7, "s", "ua", Instant.ofEpochSecond(exp)));
  }

  @Test
  void stateTokensMatchOnlyTheirOwnStateUntilTheyExpire() {
    WechatConfig config =
        new WechatConfig(
            "state-key-0123456789abcdef0123456789abcdef", Duration.ofMinutes(10), false);
    StateTokens states = new StateTokens(config, CLOCK);
    String cookie = states.issue("state-1");
    assertThat(JWT.decode(cookie).getClaims().keySet()).containsExactlyInAnyOrder("State", "exp");
    assertThat(JWT.decode(cookie).getExpiresAtAsInstant())
        .isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(states.matches(cookie, "state-1")).isTrue();
    assertThat(states.matches(cookie, "state-2")).isFalse();
    assertThat(states.matches(cookie, "")).isFalse();
    assertThat(states.matches(cookie, null)).isFalse();
    assertThat(states.matches(null, "state-1")).isFalse();
    assertThat(states.matches("garbage", "state-1")).isFalse();
    assertThat(
            states.matches(
                sign(
                    ACCESS_KEY,
                    "{\"State\":\"state-1\",\"exp\":" + (NOW.getEpochSecond() + 60) + "}"),
                "state-1"))
        .as("signed with another key")
        .isFalse();
    StateTokens later = new StateTokens(config, Clock.offset(CLOCK, Duration.ofMinutes(11)));
    assertThat(later.matches(cookie, "state-1")).as("expired").isFalse();
  }

  private static void assertRejected(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Rejection reason) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            TokenRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
