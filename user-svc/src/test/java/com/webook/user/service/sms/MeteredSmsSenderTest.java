package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredSmsSenderTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedSmsSender provider = new ScriptedSmsSender("p");
  private final MeteredSmsSender sender = new MeteredSmsSender("p", provider, registry);

  private long count(String outcome) {
    return registry.get("sms.send").tags("provider", "p", "outcome", outcome).timer().count();
  }

  @Test
  void countsEveryOutcomePerProvider() {
    provider.then(
        ScriptedSmsSender.ok(),
        ScriptedSmsSender.fail(SmsException.Reason.TIMEOUT),
        ScriptedSmsSender.ok());
    sender.send("t", List.of(), List.of("1"), NONE);
    assertThatThrownBy(() -> sender.send("t", List.of(), List.of("1"), NONE))
        .isInstanceOf(SmsException.class);
    sender.send("t", List.of(), List.of("1"), NONE);

    assertThat(count("ok")).isEqualTo(2);
    assertThat(count("timeout")).isEqualTo(1);
    assertThat(count("failed")).isZero();
  }

  @Test
  void anUnexpectedProviderErrorBecomesFailed() {
    provider.always(
        () -> {
          throw new NullPointerException("bug in a provider");
        });

    assertThatThrownBy(() -> sender.send("t", List.of(), List.of("1"), NONE))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SmsException.Reason.FAILED);
              assertThat(e.getCause()).isInstanceOf(NullPointerException.class);
            });
    assertThat(count("failed")).isEqualTo(1);
  }
}
