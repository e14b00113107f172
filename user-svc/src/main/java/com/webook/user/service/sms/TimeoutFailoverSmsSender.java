package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends through one provider at a time and moves to the next after {@code threshold} consecutive
 * timeouts (SPEC §4.5 point 3). A timeout says more about a provider than an error does (it is
 * overloaded or unreachable, and every caller waits for it), so this strategy reacts to exactly
 * that signal; a single request is not retried elsewhere.
 *
 * <p>The active index and the timeout count live in one {@link AtomicLong} (index in the high 32
 * bits, count in the low 32) and change only by compare-and-set. A timeout or success is counted
 * only for the provider that is still active, so late answers from a provider that was already
 * switched away from can neither push the new one over the threshold nor reset its count;
 * concurrent timeouts therefore switch exactly once. The count resets on a switch and on a success;
 * other failures leave it unchanged (they are not timeouts, and not successes). Thread-safe.
 */
public final class TimeoutFailoverSmsSender implements SmsSender {
  private static final Logger log = LoggerFactory.getLogger(TimeoutFailoverSmsSender.class);

  private final List<SmsSender> providers;
  private final int threshold;
  private final AtomicLong state = new AtomicLong();
  private final Counter switches;

  public TimeoutFailoverSmsSender(
      List<SmsSender> providers, int threshold, MeterRegistry registry) {
    if (providers.isEmpty() || threshold < 1) {
      throw new IllegalArgumentException("at least one provider and a threshold >= 1");
    }
    this.providers = List.copyOf(providers);
    this.threshold = threshold;
    this.switches =
        Counter.builder("sms.failover.switches")
            .description("provider switches after consecutive timeouts")
            .register(registry);
    Gauge.builder("sms.failover.active", this, TimeoutFailoverSmsSender::activeIndex)
        .description("index of the provider in use")
        .register(registry);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    if (deadline.gaveUp()) {
      throw new SmsException(SmsException.Reason.CANCELLED, "caller gave up before sending");
    }
    int idx = index(state.get());
    SmsDelivery delivery;
    try {
      delivery = providers.get(idx).send(tplId, args, numbers, deadline);
    } catch (SmsException e) {
      if (e.reason() == SmsException.Reason.TIMEOUT) {
        onTimeout(idx);
      }
      throw e;
    }
    onSuccess(idx);
    return delivery;
  }

  /** The provider currently in use. */
  public int activeIndex() {
    return index(state.get());
  }

  /** Consecutive timeouts of the active provider. */
  public int consecutiveTimeouts() {
    return count(state.get());
  }

  private void onTimeout(int idx) {
    while (true) {
      long s = state.get();
      if (index(s) != idx) {
        return;
      }
      int c = count(s) + 1;
      boolean switching = c >= threshold;
      long next = switching ? pack((idx + 1) % providers.size(), 0) : pack(idx, c);
      if (state.compareAndSet(s, next)) {
        if (switching) {
          switches.increment();
          log.warn(
              "SMS provider {} timed out {} times in a row; switching to {}",
              providers.get(idx),
              c,
              providers.get(index(next)));
        }
        return;
      }
    }
  }

  private void onSuccess(int idx) {
    while (true) {
      long s = state.get();
      if (index(s) != idx || count(s) == 0) {
        return;
      }
      if (state.compareAndSet(s, pack(idx, 0))) {
        return;
      }
    }
  }

  private static long pack(int index, int count) {
    return ((long) index << 32) | (count & 0xFFFFFFFFL);
  }

  private static int index(long s) {
    return (int) (s >>> 32);
  }

  private static int count(long s) {
    return (int) s;
  }

  @Override
  public String toString() {
    return "timeoutFailover" + providers;
  }
}
