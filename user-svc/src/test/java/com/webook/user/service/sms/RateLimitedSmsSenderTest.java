package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RateLimitedSmsSenderTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedSmsSender provider = new ScriptedSmsSender("tencent");
  private final List<String> keys = new ArrayList<>();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("under the limit", "allow", true, true),
        Arguments.of("over the limit", "limit", true, false),
        Arguments.of("limiter down, fail closed", "error", true, false),
        Arguments.of("limiter down, fail open", "error", false, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void limiterDecidesAndLimiterErrorsFollowTheConfig(
      String name, String limiterAnswer, boolean limitedOnError, boolean reachesProvider) {
    RateLimitedSmsSender sender =
        new RateLimitedSmsSender(
            "tencent",
            provider,
            key -> {
              keys.add(key);
              return switch (limiterAnswer) {
                case "allow" -> false;
                case "limit" -> true;
                default -> throw new IllegalStateException("redis down");
              };
            },
            limitedOnError,
            registry);

    if (reachesProvider) {
      assertThat(sender.send("tpl", List.of("1"), List.of("13800001111"), NONE))
          .isEqualTo(SmsDelivery.SENT);
    } else {
      assertThatThrownBy(() -> sender.send("tpl", List.of("1"), List.of("13800001111"), NONE))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.RATE_LIMITED));
    }

    assertThat(keys).containsExactly("sms:tencent");
    assertThat(provider.callCount()).isEqualTo(reachesProvider ? 1 : 0);
    assertThat(registry.counter("sms.ratelimit.limited", "provider", "tencent").count())
        .isEqualTo(reachesProvider ? 0.0 : 1.0);
    assertThat(registry.counter("sms.ratelimit.errors", "provider", "tencent").count())
        .isEqualTo(limiterAnswer.equals("error") ? 1.0 : 0.0);
  }
}
