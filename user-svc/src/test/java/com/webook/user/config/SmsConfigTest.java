package com.webook.user.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.config.ConfigException;
import com.webook.platform.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** sms.* and code.* as the service loads them: dev.yaml, --config files, WEBOOK_* env. */
class SmsConfigTest {
  @TempDir Path dir;

  private UserConfig load(Map<String, String> env, String... args) {
    return new ConfigLoader(env).load(UserConfig.class, args);
  }

  @Test
  void devProfileUsesOnlyTheLogProviderWithAsyncOn() {
    UserConfig c = load(Map.of());

    assertThat(c.sms().providers()).singleElement().isInstanceOf(SmsProviderConfig.Log.class);
    assertThat(c.sms().allowLogProvider()).isTrue();
    assertThat(c.sms().async().enabled()).isTrue();
    assertThat(c.sms().rateLimit().limit()).isEqualTo(3000);
    assertThat(c.sms().failover().strategy()).isEqualTo(SmsConfig.Strategy.ROTATE);
    assertThat(c.code().ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.code().resendInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.code().attempts()).isEqualTo(3);
  }

  @Test
  void scalarsAreOverriddenByEnvAndProvidersByAConfigFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("sms.yaml"),
            """
        sms:
          allowLogProvider: false
          providers:
            - type: http
              name: tencent
              endpoint: https://sms.example.com/send
              appId: "1400"
              secret: from-a-secrets-file
              signName: webook
              timeout: 2s
              successPointer: /Response/SendStatusSet/0/Code
              successValue: Ok
            - type: http
              name: aliyun
              endpoint: https://dysmsapi.example.com/
              appId: ak
              secret: other
              signName: webook
              timeout: 3s
              successPointer: /Code
              successValue: OK
        """);

    UserConfig c =
        load(
            Map.of(
                "WEBOOK_SMS_FAILOVER_STRATEGY",
                "timeout",
                "WEBOOK_SMS_ASYNC_MAX_RETRY",
                "7",
                "WEBOOK_SMS_ASYNC_DETECTOR_ERROR_RATIO",
                "0.3"),
            "--config",
            file.toString());

    assertThat(c.sms().providers())
        .extracting(SmsProviderConfig::name)
        .containsExactly("tencent", "aliyun");
    assertThat(((SmsProviderConfig.Http) c.sms().providers().get(0)).timeout())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(c.sms().failover().strategy()).isEqualTo(SmsConfig.Strategy.TIMEOUT);
    assertThat(c.sms().async().maxRetry()).isEqualTo(7);
    assertThat(c.sms().async().detector().errorRatio()).isEqualTo(0.3);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(
            "log provider outside development",
            Map.of("WEBOOK_SMS_ALLOW_LOG_PROVIDER", "false"),
            "sms.providers[0]: the log provider writes messages (login codes) to the log and is for development only"),
        Arguments.of(
            "limit zero", Map.of("WEBOOK_SMS_RATE_LIMIT_LIMIT", "0"), "sms.rateLimit.limit"),
        Arguments.of(
            "threshold zero",
            Map.of("WEBOOK_SMS_FAILOVER_TIMEOUT_THRESHOLD", "0"),
            "sms.failover.timeoutThreshold"),
        Arguments.of(
            "unknown strategy",
            Map.of("WEBOOK_SMS_FAILOVER_STRATEGY", "random"),
            "sms.failover.strategy"),
        Arguments.of(
            "max backoff below initial",
            Map.of("WEBOOK_SMS_ASYNC_MAX_BACKOFF", "1s"),
            "sms.async.maxBackoff: must not be shorter than initialBackoff"),
        Arguments.of(
            "error ratio above 1",
            Map.of("WEBOOK_SMS_ASYNC_DETECTOR_ERROR_RATIO", "1.5"),
            "sms.async.detector.errorRatio"),
        Arguments.of(
            "window not divisible into buckets",
            Map.of("WEBOOK_SMS_ASYNC_DETECTOR_WINDOW", "1005ms"),
            "sms.async.detector.buckets"),
        Arguments.of(
            "resend not shorter than ttl",
            Map.of("WEBOOK_CODE_RESEND_INTERVAL", "600s"),
            "code.resendInterval"),
        Arguments.of("fractional ttl", Map.of("WEBOOK_CODE_TTL", "1500ms"), "code.ttl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidValuesStopTheStartNamingTheKey(String name, Map<String, String> env, String message) {
    assertThatThrownBy(() -> load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void providerNamesMustBeUnique() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("dup.yaml"),
            """
        sms:
          providers:
            - {type: log, name: same, maskNumbers: true}
            - {type: log, name: same, maskNumbers: true}
        """);

    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sms.providers[1].name: 'same' is used twice");
  }

  @Test
  void reclaimAfterMustOutlastEverySend() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("slow.yaml"),
            """
        sms:
          allowLogProvider: false
          providers:
            - {type: http, name: a, endpoint: "http://127.0.0.1:1/", appId: x, secret: y, signName: z,
               timeout: 90s, successPointer: "", successValue: ""}
            - {type: http, name: b, endpoint: "http://127.0.0.1:1/", appId: x, secret: y, signName: z,
               timeout: 40s, successPointer: "", successValue: ""}
        """);

    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("sms.async.reclaimAfter");
  }

  @Test
  void anUnknownProviderTypeIsRejected() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("type.yaml"),
            """
        sms:
          providers:
            - {type: carrier-pigeon, name: p}
        """);

    assertThatThrownBy(() -> load(Map.of(), "--config", file.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("carrier-pigeon");
  }
}
