package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static com.webook.user.service.sms.ScriptedSmsSender.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.user.testing.TestDeadline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverSmsSenderTest {
  private static final List<String> ARGS = List.of("123456");
  private static final List<String> TO = List.of("13800001111");

  private final ScriptedSmsSender a = new ScriptedSmsSender("a");
  private final ScriptedSmsSender b = new ScriptedSmsSender("b");
  private final ScriptedSmsSender c = new ScriptedSmsSender("c");

  @Test
  void eachRequestStartsAtTheNextProvider() {
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b, c));
    for (int i = 0; i < 6; i++) {
      assertThat(failover.send("tpl", ARGS, TO, NONE)).isEqualTo(SmsDelivery.SENT);
    }
    assertThat(a.callCount()).isEqualTo(2);
    assertThat(b.callCount()).isEqualTo(2);
    assertThat(c.callCount()).isEqualTo(2);
  }

  @Test
  void aFailingProviderIsSkippedAndTheMessageReachesTheNextOne() {
    a.always(fail(SmsException.Reason.FAILED));
    c.always(fail(SmsException.Reason.TIMEOUT));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b, c));

    List<SmsDelivery> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      results.add(failover.send("tpl", ARGS, TO, NONE));
    }

    assertThat(results).containsOnly(SmsDelivery.SENT);
    // start a: a fails → b; start b: b; start c: c times out → a fails → b
    assertThat(b.callCount()).isEqualTo(3);
    assertThat(a.callCount()).isEqualTo(2);
    assertThat(c.callCount()).isEqualTo(1);
    assertThat(b.calls()).allSatisfy(call -> assertThat(call.args()).isEqualTo(ARGS));
  }

  @Test
  void allFailedIsAnErrorCarryingEveryProvidersFailure() {
    a.always(fail(SmsException.Reason.FAILED));
    b.always(fail(SmsException.Reason.RATE_LIMITED));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, NONE))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SmsException.Reason.FAILED);
              assertThat(e.getSuppressed()).hasSize(2);
            });
  }

  @Test
  void allRateLimitedIsReportedAsRateLimitedSoTheRequestCanBeQueued() {
    a.always(fail(SmsException.Reason.RATE_LIMITED));
    b.always(fail(SmsException.Reason.RATE_LIMITED));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, NONE))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.RATE_LIMITED));
  }

  @Test
  void everyProviderTriedGetsTheCallersDeadline() {
    a.always(fail(SmsException.Reason.FAILED));
    TestDeadline callers = TestDeadline.after(Duration.ofMinutes(1));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThat(failover.send("tpl", ARGS, TO, callers)).isEqualTo(SmsDelivery.SENT);

    assertThat(a.deadlines()).containsExactly(callers);
    assertThat(b.deadlines()).containsExactly(callers);
  }

  @Test
  void aCallerWhoAlreadyGaveUpReachesNoProvider() {
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));
    TestDeadline callers = TestDeadline.unbounded();
    callers.cancel();

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, callers))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(a.callCount() + b.callCount()).isZero();
  }

  @Test
  void theCallerCancellingDuringAFailedAttemptStopsTheLoopAtOnce() {
    TestDeadline callers = TestDeadline.unbounded();
    // a fails after the caller went away (e.g. its deadline expired during a's slow error)
    a.always(
        () -> {
          callers.cancel();
          throw new SmsException(SmsException.Reason.FAILED, "a failed");
        });
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b, c));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, callers))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED);
              assertThat(e.getSuppressed()).as("the failure seen before stopping").hasSize(1);
            });
    assertThat(b.callCount() + c.callCount())
        .as("no provider tried after the caller left")
        .isZero();
  }

  @Test
  void anExpiredDeadlineStopsTheLoop() {
    TestDeadline callers = TestDeadline.after(Duration.ofMillis(1));
    a.always(
        () -> {
          // wait until the deadline passed (a monotonic clock gets there), then fail: the caller
          // is gone
          while (!callers.gaveUp()) {
            Thread.onSpinWait();
          }
          throw new SmsException(SmsException.Reason.FAILED, "a failed");
        });
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, callers))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(b.callCount()).isZero();
  }

  @Test
  void aCancelledProviderAnswerStopsTheLoop() {
    a.always(fail(SmsException.Reason.CANCELLED));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO, NONE))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(b.callCount()).isZero();
  }
}
