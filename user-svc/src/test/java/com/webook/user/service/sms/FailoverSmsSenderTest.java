package com.webook.user.service.sms;

import static com.webook.user.service.sms.ScriptedSmsSender.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
      assertThat(failover.send("tpl", ARGS, TO)).isEqualTo(SmsDelivery.SENT);
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
      results.add(failover.send("tpl", ARGS, TO));
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

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO))
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

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.RATE_LIMITED));
  }

  @Test
  void aCallerWhoAlreadyGaveUpReachesNoProvider() {
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));
    Context.CancellableContext ctx = Context.current().withCancellation();
    ctx.cancel(null);

    assertThatThrownBy(() -> ctx.call(() -> failover.send("tpl", ARGS, TO)))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(a.callCount() + b.callCount()).isZero();
  }

  @Test
  void theCallerCancellingDuringAFailedAttemptStopsTheLoopAtOnce() {
    Context.CancellableContext ctx = Context.current().withCancellation();
    // a fails after the caller went away (e.g. its deadline expired during a's slow error)
    a.always(
        () -> {
          ctx.cancel(null);
          throw new SmsException(SmsException.Reason.FAILED, "a failed");
        });
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b, c));

    assertThatThrownBy(() -> ctx.call(() -> failover.send("tpl", ARGS, TO)))
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
  void anExpiredDeadlineStopsTheLoop() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try {
      Context.CancellableContext ctx =
          Context.current().withDeadlineAfter(1, TimeUnit.MILLISECONDS, timer);
      a.always(
          () -> {
            // wait until the deadline fired, then fail: the caller is gone
            while (!Context.current().isCancelled()) {
              Thread.onSpinWait();
            }
            throw new SmsException(SmsException.Reason.FAILED, "a failed");
          });
      FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

      assertThatThrownBy(() -> ctx.call(() -> failover.send("tpl", ARGS, TO)))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
      assertThat(b.callCount()).isZero();
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void aCancelledProviderAnswerStopsTheLoop() {
    a.always(fail(SmsException.Reason.CANCELLED));
    FailoverSmsSender failover = new FailoverSmsSender(List.of(a, b));

    assertThatThrownBy(() -> failover.send("tpl", ARGS, TO))
        .isInstanceOfSatisfying(
            SmsException.class,
            e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.CANCELLED));
    assertThat(b.callCount()).isZero();
  }
}
