package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the access log may show of a body (SPEC §10: secrets masked, capped at 2 KiB). */
class SecretMaskingTest {
  private static final SecretMasking MASKING = new SecretMasking(new Json().mapper());

  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of(
            "signup",
            "{\"email\":\"a@b.c\",\"password\":\"p@ss1\",\"confirmPassword\":\"p@ss1\"}",
            "{\"email\":\"a@b.c\",\"password\":\"***\",\"confirmPassword\":\"***\"}"),
        Arguments.of(
            "snake-case confirmation",
            "{\"confirm_password\":\"p@ss1\"}",
            "{\"confirm_password\":\"***\"}"),
        Arguments.of(
            "SMS code",
            "{\"phone\":\"13800138000\",\"code\":\"123456\"}",
            "{\"phone\":\"13800138000\",\"code\":\"***\"}"),
        Arguments.of("numeric code", "{\"code\":123456}", "{\"code\":\"***\"}"),
        Arguments.of(
            "nested tokens",
            "{\"data\":{\"refreshToken\":\"eyJ.x.y\",\"list\":[{\"access_token\":\"t\"}]}}",
            "{\"data\":{\"refreshToken\":\"***\",\"list\":[{\"access_token\":\"***\"}]}}"),
        Arguments.of(
            "truncated JSON",
            "{\"email\":\"a@b.c\",\"password\":\"p@ss\\\"1",
            "{\"email\":\"a@b.c\",\"password\":\"***\""),
        Arguments.of(
            "form encoded",
            "email=a%40b.c&password=secret1&code=1234",
            "email=a%40b.c&password=***&code=***"),
        Arguments.of("plain text", "hello", "hello"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void masks(String name, String body, String logged) {
    assertThat(MASKING.requestBody(body.getBytes(StandardCharsets.UTF_8), 2048)).isEqualTo(logged);
  }

  @Test
  void responsesKeepTheEnvelopeCodeButMaskTokens() {
    assertThat(
            MASKING.responseBody(
                "{\"code\":401002,\"msg\":\"m\",\"data\":{\"token\":\"t\"}}"
                    .getBytes(StandardCharsets.UTF_8),
                2048))
        .isEqualTo("{\"code\":401002,\"msg\":\"m\",\"data\":{\"token\":\"***\"}}");
  }

  @Test
  void masksBeforeCuttingAndCutsAtACharacterBoundary() {
    String body =
        "{\"nickname\":\"" + "汉".repeat(1000) + "\",\"password\":\"" + "s".repeat(10) + "\"}";
    String logged = MASKING.requestBody(body.getBytes(StandardCharsets.UTF_8), 2048);
    int maskedLength =
        ("{\"nickname\":\"" + "汉".repeat(1000) + "\",\"password\":\"***\"}")
            .getBytes(StandardCharsets.UTF_8)
            .length;
    assertThat(logged).doesNotContain("ssssssssss").endsWith("…(" + maskedLength + " bytes)");
    String kept = logged.substring(0, logged.indexOf('…'));
    assertThat(kept.getBytes(StandardCharsets.UTF_8).length)
        .as("cut at 2 KiB on a character boundary")
        .isBetween(2048 - 2, 2048);
    assertThat(logged).doesNotContain("\uFFFD");
  }

  @Test
  void masksQueryStrings() {
    assertThat(SecretMasking.query("code=abc&state=xyz")).isEqualTo("code=***&state=xyz");
    assertThat(SecretMasking.query(null)).isEmpty();
  }
}
