package com.webook.user.service.sms;

import com.webook.user.config.SmsConfig;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.domain.SmsMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync-to-async (SPEC §4.5 point 4): sends now when the providers can take it, otherwise stores the
 * request in {@code async_sms} and answers {@link SmsDelivery#QUEUED}; the {@link AsyncSmsWorker}
 * delivers it later. A request is stored when
 *
 * <ul>
 *   <li>the providers are judged down (no provider is called at all), or
 *   <li>every provider refused it as rate limited, or
 *   <li>it failed and that failure made the detector judge the providers down (the request that
 *       trips the detector is not lost either).
 * </ul>
 *
 * Any other failure is the caller's (a provider error while the providers are considered healthy:
 * the caller may retry at once), and so is a cancellation. If storing fails too, the request fails
 * with {@code FAILED}. Meters {@code sms.async.accepted{reason}}. Thread-safe.
 */
public final class AsyncFallbackSmsSender implements SmsSender {
  private static final Logger log = LoggerFactory.getLogger(AsyncFallbackSmsSender.class);

  private final SmsSender providers;
  private final ProviderDownDetector detector;
  private final AsyncSmsRepository repository;
  private final SmsConfig.Async config;
  private final Clock clock;
  private final Counter acceptedLimited;
  private final Counter acceptedDown;

  /**
   * @param providers the provider stack, already reporting to {@code detector} ({@link
   *     HealthReportingSmsSender})
   */
  public AsyncFallbackSmsSender(
      SmsSender providers,
      ProviderDownDetector detector,
      AsyncSmsRepository repository,
      SmsConfig.Async config,
      Clock clock,
      MeterRegistry registry) {
    this.providers = providers;
    this.detector = detector;
    this.repository = repository;
    this.config = config;
    this.clock = clock;
    this.acceptedLimited = accepted(registry, "rate_limited");
    this.acceptedDown = accepted(registry, "down");
  }

  private static Counter accepted(MeterRegistry registry, String reason) {
    return Counter.builder("sms.async.accepted")
        .description("SMS requests stored for later delivery")
        .tag("reason", reason)
        .register(registry);
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    if (detector.isDown()) {
      return store(tplId, args, numbers, acceptedDown, null);
    }
    try {
      return providers.send(tplId, args, numbers, deadline);
    } catch (SmsException e) {
      return switch (e.reason()) {
        case RATE_LIMITED -> store(tplId, args, numbers, acceptedLimited, e);
        case CANCELLED -> throw e;
        case FAILED, TIMEOUT -> {
          if (detector.isDown()) {
            yield store(tplId, args, numbers, acceptedDown, e);
          }
          throw e;
        }
      };
    }
  }

  private SmsDelivery store(
      String tplId, List<String> args, List<String> numbers, Counter reason, SmsException cause) {
    long now = clock.millis();
    long id;
    try {
      id =
          repository.insert(
              new SmsMessage(tplId, args, numbers),
              config.maxRetry(),
              now + config.initialBackoff().toMillis(),
              now);
    } catch (RuntimeException e) {
      SmsException failed =
          new SmsException(
              SmsException.Reason.FAILED, "SMS could not be sent nor stored for later: " + e, e);
      if (cause != null) {
        failed.addSuppressed(cause);
      }
      throw failed;
    }
    reason.increment();
    log.debug("SMS request stored as async_sms {} ({})", id, reason.getId().getTag("reason"));
    return SmsDelivery.QUEUED;
  }

  @Override
  public String toString() {
    return "async(" + providers + ")";
  }
}
