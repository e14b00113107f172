package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The boundary of one provider: meters every call as {@code sms.send{provider, outcome}} (a timer:
 * count and latency per outcome), and turns anything a provider throws that is not an {@link
 * SmsException} (a bug, an unexpected runtime error) into {@code FAILED}, so the decorators above
 * can rely on the reason. Thread-safe.
 */
public final class MeteredSmsSender implements SmsSender {
  private final String provider;
  private final SmsSender delegate;
  private final Timer ok;
  private final Map<SmsException.Reason, Timer> failures = new EnumMap<>(SmsException.Reason.class);

  public MeteredSmsSender(String provider, SmsSender delegate, MeterRegistry registry) {
    this.provider = provider;
    this.delegate = delegate;
    this.ok = timer(registry, "ok");
    for (SmsException.Reason r : SmsException.Reason.values()) {
      failures.put(r, timer(registry, r.name().toLowerCase(Locale.ROOT)));
    }
  }

  private Timer timer(MeterRegistry registry, String outcome) {
    return Timer.builder("sms.send")
        .description("SMS provider calls by outcome")
        .tag("provider", provider)
        .tag("outcome", outcome)
        .register(registry);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    long start = System.nanoTime();
    try {
      SmsDelivery d = delegate.send(tplId, args, numbers, deadline);
      ok.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return d;
    } catch (SmsException e) {
      failures.get(e.reason()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      throw e;
    } catch (RuntimeException e) {
      failures
          .get(SmsException.Reason.FAILED)
          .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      throw new SmsException(
          SmsException.Reason.FAILED, provider + " failed unexpectedly: " + e, e);
    }
  }

  @Override
  public String toString() {
    return provider;
  }
}
