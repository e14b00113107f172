package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static com.webook.user.service.sms.ScriptedSmsSender.fail;
import static com.webook.user.service.sms.ScriptedSmsSender.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.user.testing.TestDeadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimeoutFailoverSmsSenderTest {
  private static final List<String> ARGS = List.of("x");
  private static final List<String> TO = List.of("13800001111");
  private static final SmsException.Reason TIMEOUT = SmsException.Reason.TIMEOUT;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedSmsSender a = new ScriptedSmsSender("a");
  private final ScriptedSmsSender b = new ScriptedSmsSender("b");

  private TimeoutFailoverSmsSender sender(int threshold) {
    return new TimeoutFailoverSmsSender(List.of(a, b), threshold, registry);
  }

  private static void sendIgnoringFailure(SmsSender s) {
    try {
      s.send("tpl", ARGS, TO, NONE);
    } catch (SmsException expected) {
      // outcome checked through the fakes
    }
  }

  @Test
  void switchesAfterNConsecutiveTimeoutsAndNotBefore() {
    a.always(fail(TIMEOUT));
    TimeoutFailoverSmsSender s = sender(3);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> s.send("tpl", ARGS, TO, NONE))
          .isInstanceOfSatisfying(
              SmsException.class,
              e ->
                  assertThat(e.reason())
                      .as("the request itself is not retried elsewhere")
                      .isEqualTo(TIMEOUT));
    }
    assertThat(s.activeIndex()).isZero();
    assertThat(s.consecutiveTimeouts()).isEqualTo(2);

    sendIgnoringFailure(s);
    assertThat(s.activeIndex()).as("third timeout in a row switches").isEqualTo(1);
    assertThat(s.consecutiveTimeouts()).as("reset on switch").isZero();

    assertThat(s.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.SENT);
    assertThat(a.callCount()).isEqualTo(3);
    assertThat(b.callCount()).isEqualTo(1);
    assertThat(registry.counter("sms.failover.switches").count()).isEqualTo(1.0);
  }

  @Test
  void aSuccessResetsTheCount() {
    a.then(fail(TIMEOUT), fail(TIMEOUT), ok(), fail(TIMEOUT), fail(TIMEOUT), ok());
    TimeoutFailoverSmsSender s = sender(3);

    for (int i = 0; i < 6; i++) {
      sendIgnoringFailure(s);
    }

    assertThat(s.activeIndex()).as("never three timeouts in a row").isZero();
    assertThat(s.consecutiveTimeouts()).isZero();
    assertThat(b.callCount()).isZero();
  }

  @Test
  void otherFailuresNeitherCountAsTimeoutsNorResetTheCount() {
    a.then(fail(TIMEOUT), fail(SmsException.Reason.FAILED), fail(TIMEOUT));
    TimeoutFailoverSmsSender s = sender(3);

    for (int i = 0; i < 3; i++) {
      sendIgnoringFailure(s);
    }
    assertThat(s.consecutiveTimeouts()).isEqualTo(2);

    sendIgnoringFailure(s);
    assertThat(s.activeIndex()).isEqualTo(1);
  }

  @Test
  void theNewProviderStartsFromZeroAndTheIndexWrapsAround() {
    a.always(fail(TIMEOUT));
    b.always(fail(TIMEOUT));
    TimeoutFailoverSmsSender s = sender(2);

    sendIgnoringFailure(s);
    sendIgnoringFailure(s);
    assertThat(s.activeIndex()).isEqualTo(1);
    sendIgnoringFailure(s);
    assertThat(s.activeIndex()).as("one timeout of b is not enough").isEqualTo(1);
    sendIgnoringFailure(s);
    assertThat(s.activeIndex()).as("wraps to the first provider").isZero();
    assertThat(a.callCount()).isEqualTo(2);
    assertThat(b.callCount()).isEqualTo(2);
  }

  @Test
  void concurrentTimeoutsSwitchExactlyOnce() throws Exception {
    int threads = 32;
    CountDownLatch allInsideA = new CountDownLatch(threads);
    // Every thread reads index 0 and enters a; a answers only once all of them are inside, so
    // 32 timeouts of a arrive together. They must move the index from a to b once — not 32/5
    // times, and late ones must not count against b.
    a.always(
        () -> {
          allInsideA.countDown();
          try {
            allInsideA.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new SmsException(TIMEOUT, "slow a");
        });
    TimeoutFailoverSmsSender s = sender(5);

    List<Future<?>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        calls.add(pool.submit(() -> sendIgnoringFailure(s)));
      }
      for (Future<?> f : calls) {
        f.get(30, TimeUnit.SECONDS);
      }
    }

    assertThat(a.callCount()).isEqualTo(threads);
    assertThat(s.activeIndex()).isEqualTo(1);
    assertThat(s.consecutiveTimeouts()).as("a's late timeouts are not b's").isZero();
    assertThat(registry.counter("sms.failover.switches").count()).isEqualTo(1.0);

    assertThat(s.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.SENT);
    assertThat(b.callCount()).isEqualTo(1);
  }

  @Test
  void aCallerWhoGaveUpReachesNoProvider() {
    TimeoutFailoverSmsSender s = sender(3);
    TestDeadline callers = TestDeadline.unbounded();
    callers.cancel();

    assertThatThrownBy(() -> s.send("tpl", ARGS, TO, callers))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(a.callCount()).isZero();
  }

  @Test
  void theActiveProviderGetsTheCallersDeadline() {
    TimeoutFailoverSmsSender s = sender(3);
    TestDeadline callers = TestDeadline.after(Duration.ofMinutes(1));

    assertThat(s.send("tpl", ARGS, TO, callers)).isEqualTo(SmsDelivery.SENT);

    assertThat(a.deadlines()).containsExactly(callers);
  }
}
