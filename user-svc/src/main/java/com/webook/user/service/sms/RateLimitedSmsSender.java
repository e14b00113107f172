package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one provider under its contracted rate across all instances (SPEC §4.5 point 1): a Redis
 * sliding window on key {@code sms:<provider>}. Over the limit → {@link
 * SmsException.Reason#RATE_LIMITED} without calling the provider. A limiter failure (Redis down)
 * counts as limited or as allowed, as configured ({@code sms.rateLimit.limitedOnError}); either way
 * it is metered ({@code sms.ratelimit.errors}). Thread-safe.
 */
public final class RateLimitedSmsSender implements SmsSender {
  private static final Logger log = LoggerFactory.getLogger(RateLimitedSmsSender.class);

  /** The limiter seam: {@code RedisSlidingWindowLimiter::limited} in production. */
  @FunctionalInterface
  public interface Limiter {
    /** Records one request for {@code key}; true when it is over the limit. May throw. */
    boolean limited(String key);
  }

  private final String provider;
  private final String key;
  private final SmsSender delegate;
  private final Limiter limiter;
  private final boolean limitedOnError;
  private final Counter limited;
  private final Counter errors;
  private final AtomicBoolean failing = new AtomicBoolean();

  public RateLimitedSmsSender(
      String provider,
      SmsSender delegate,
      Limiter limiter,
      boolean limitedOnError,
      MeterRegistry registry) {
    this.provider = provider;
    this.key = "sms:" + provider;
    this.delegate = delegate;
    this.limiter = limiter;
    this.limitedOnError = limitedOnError;
    this.limited =
        Counter.builder("sms.ratelimit.limited")
            .description("SMS requests refused by our limiter")
            .tag("provider", provider)
            .register(registry);
    this.errors =
        Counter.builder("sms.ratelimit.errors")
            .description("SMS limiter failures (Redis)")
            .tag("provider", provider)
            .register(registry);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    boolean over;
    try {
      over = limiter.limited(key);
      if (failing.compareAndSet(true, false)) {
        log.info("SMS limiter for {} works again", provider);
      }
    } catch (RuntimeException e) {
      errors.increment();
      over = limitedOnError;
      // One line per outage, not one per request; the counter shows the rate.
      if (failing.compareAndSet(false, true)) {
        log.warn(
            "SMS limiter for {} failed ({}); treating requests as {} until it works again",
            provider,
            e.toString(),
            limitedOnError ? "limited" : "allowed");
      }
    }
    if (over) {
      limited.increment();
      throw new SmsException(SmsException.Reason.RATE_LIMITED, key + " is over its limit");
    }
    return delegate.send(tplId, args, numbers, deadline);
  }

  @Override
  public String toString() {
    return provider;
  }
}
