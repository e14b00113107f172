package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tries every provider until one takes the message (SPEC §4.5 point 2). Each request starts at the
 * next provider in turn, so load spreads and a dead first provider does not add its failure time to
 * every request. The caller's own deadline or cancellation (its {@link CallerDeadline}) stops the
 * loop at once: no further provider is tried for a caller who has gone.
 *
 * <p>When every provider failed the error is {@code RATE_LIMITED} if all of them were limited (so
 * sync-to-async can accept the request), else {@code FAILED}; each provider's failure is attached
 * as a suppressed exception. Thread-safe (one atomic counter).
 */
public final class FailoverSmsSender implements SmsSender {
  private final List<SmsSender> providers;
  private final AtomicLong next = new AtomicLong();

  public FailoverSmsSender(List<SmsSender> providers) {
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("at least one provider");
    }
    this.providers = List.copyOf(providers);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    int n = providers.size();
    int start = (int) Math.floorMod(next.getAndIncrement(), (long) n);
    List<SmsException> failures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (deadline.gaveUp()) {
        throw cancelled(failures);
      }
      SmsSender provider = providers.get((start + i) % n);
      try {
        return provider.send(tplId, args, numbers, deadline);
      } catch (SmsException e) {
        if (e.reason() == SmsException.Reason.CANCELLED) {
          throw e;
        }
        failures.add(e);
      }
    }
    if (deadline.gaveUp()) {
      throw cancelled(failures);
    }
    boolean allLimited =
        failures.stream().allMatch(e -> e.reason() == SmsException.Reason.RATE_LIMITED);
    SmsException all =
        new SmsException(
            allLimited ? SmsException.Reason.RATE_LIMITED : SmsException.Reason.FAILED,
            "all "
                + n
                + " SMS provider(s) failed: "
                + failures.stream().map(Throwable::getMessage).toList());
    failures.forEach(all::addSuppressed);
    throw all;
  }

  private static SmsException cancelled(List<SmsException> failures) {
    SmsException e =
        new SmsException(
            SmsException.Reason.CANCELLED,
            "caller gave up after " + failures.size() + " failed provider(s)");
    failures.forEach(e::addSuppressed);
    return e;
  }

  @Override
  public String toString() {
    return "failover" + providers;
  }
}
