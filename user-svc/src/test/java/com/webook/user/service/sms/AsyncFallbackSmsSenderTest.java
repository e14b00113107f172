package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static com.webook.user.service.sms.ScriptedSmsSender.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.user.config.SmsConfig;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.domain.SmsMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AsyncFallbackSmsSenderTest {
  private static final List<String> ARGS = List.of("123456");
  private static final List<String> TO = List.of("13800001111", "13900002222");

  /** minRequests 2, error ratio 0.5: two failures in a row mean down. */
  private static final SmsConfig.Detector DETECTOR =
      new SmsConfig.Detector(
          Duration.ofSeconds(10), 10, 2, 0.5, 5.0, Duration.ofMillis(100), 3, 10);

  private static final SmsConfig.Async ASYNC =
      new SmsConfig.Async(
          true,
          4,
          Duration.ofSeconds(3),
          Duration.ofMinutes(1),
          Duration.ofSeconds(1),
          10,
          Duration.ofMinutes(2),
          Duration.ofSeconds(5),
          DETECTOR);

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProviderDownDetector detector = new ProviderDownDetector(DETECTOR, clock, registry);
  private final ScriptedSmsSender provider = new ScriptedSmsSender("p");
  private final InMemoryAsyncSmsRepository queue = new InMemoryAsyncSmsRepository();
  private final AsyncFallbackSmsSender sender =
      new AsyncFallbackSmsSender(
          new HealthReportingSmsSender(provider, detector),
          detector,
          queue,
          ASYNC,
          clock,
          registry);

  private double accepted(String reason) {
    return registry.counter("sms.async.accepted", "reason", reason).count();
  }

  @Test
  void aHealthyProviderSendsAtOnceAndNothingIsStored() {
    assertThat(sender.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.SENT);
    assertThat(provider.callCount()).isEqualTo(1);
    assertThat(queue.all()).isEmpty();
  }

  @Test
  void aRateLimitedRequestIsStoredAndAccepted() {
    provider.always(fail(SmsException.Reason.RATE_LIMITED));

    assertThat(sender.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.QUEUED);

    assertThat(queue.all())
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.message()).isEqualTo(new SmsMessage("tpl", ARGS, TO));
              assertThat(row.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(row.retryCnt()).isZero();
              assertThat(row.maxRetry()).isEqualTo(4);
              assertThat(row.nextRetryAt())
                  .as("first attempt after initialBackoff")
                  .isEqualTo(clock.millis() + 3000);
              assertThat(row.ctime()).isEqualTo(clock.millis());
            });
    assertThat(accepted("rate_limited")).isEqualTo(1.0);
    assertThat(detector.evaluate().requests())
        .as("a limited request says nothing about provider health")
        .isZero();
  }

  @Test
  void whileTheProvidersAreDownRequestsAreStoredWithoutCallingThem() {
    for (int i = 0; i < 2; i++) {
      detector.record(false, Duration.ofMillis(5));
    }

    assertThat(sender.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.QUEUED);
    assertThat(provider.callCount()).isZero();
    assertThat(queue.all()).hasSize(1);
    assertThat(accepted("down")).isEqualTo(1.0);
  }

  @Test
  void theFailureThatTripsTheDetectorIsStoredToo() {
    provider.always(fail(SmsException.Reason.TIMEOUT));

    assertThatThrownBy(() -> sender.send("tpl", ARGS, TO, NONE))
        .as("one failure is below the minimum count")
        .isInstanceOfSatisfying(
            SmsException.class, e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.TIMEOUT));
    assertThat(queue.all()).isEmpty();

    assertThat(sender.send("tpl", List.of("second"), TO, NONE)).isEqualTo(SmsDelivery.QUEUED);
    assertThat(queue.all()).extracting(r -> r.message().args()).containsExactly(List.of("second"));

    assertThat(sender.send("tpl", List.of("third"), TO, NONE)).isEqualTo(SmsDelivery.QUEUED);
    assertThat(provider.callCount()).as("the third is stored without a provider call").isEqualTo(2);
  }

  @Test
  void afterTheWindowTheProvidersAreTriedAgain() {
    provider.then(
        fail(SmsException.Reason.FAILED), fail(SmsException.Reason.FAILED), ScriptedSmsSender.ok());
    assertThatThrownBy(() -> sender.send("tpl", ARGS, TO, NONE)).isInstanceOf(SmsException.class);
    assertThat(sender.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.QUEUED);

    clock.advance(Duration.ofSeconds(11));
    assertThat(sender.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.SENT);
    assertThat(provider.callCount()).isEqualTo(3);
  }

  static Stream<Arguments> failuresNotStored() {
    return Stream.of(
        Arguments.of("a provider error while healthy", SmsException.Reason.FAILED),
        Arguments.of("a cancelled caller", SmsException.Reason.CANCELLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failuresNotStored")
  void otherFailuresAreTheCallers(String name, SmsException.Reason reason) {
    provider.always(fail(reason));

    assertThatThrownBy(() -> sender.send("tpl", ARGS, TO, NONE))
        .isInstanceOfSatisfying(SmsException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    assertThat(queue.all()).isEmpty();
  }

  @Test
  void whenStoringFailsTooTheRequestFails() {
    provider.always(fail(SmsException.Reason.RATE_LIMITED));
    queue.failInserts(true);

    assertThatThrownBy(() -> sender.send("tpl", ARGS, TO, NONE))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SmsException.Reason.FAILED);
              assertThat(e.getSuppressed())
                  .extracting(t -> ((SmsException) t).reason())
                  .containsExactly(SmsException.Reason.RATE_LIMITED);
            });
    assertThat(accepted("rate_limited")).isZero();
  }

  @Test
  void storedRowsAreWhatTheWorkerReads() {
    provider.always(fail(SmsException.Reason.RATE_LIMITED));
    sender.send("tpl", ARGS, TO, NONE);

    assertThat(queue.findDue(clock.millis(), 10)).as("not due before initialBackoff").isEmpty();
    clock.advance(Duration.ofSeconds(3));
    List<AsyncSms> due = queue.findDue(clock.millis(), 10);
    assertThat(due).hasSize(1);
  }
}
