package com.webook.user.service.sms;

import com.webook.user.domain.CallerDeadline;
import java.time.Duration;
import java.util.List;

/**
 * Feeds the outcome and latency of every send that reached the providers into the {@link
 * ProviderDownDetector}. Rate-limited and cancelled sends are not recorded: they say nothing about
 * the providers' health. Both the synchronous path and the async worker send through this, so the
 * worker's attempts keep the detector informed while new requests are being queued. Thread-safe.
 */
public final class HealthReportingSmsSender implements SmsSender {
  private final SmsSender delegate;
  private final ProviderDownDetector detector;

  public HealthReportingSmsSender(SmsSender delegate, ProviderDownDetector detector) {
    this.delegate = delegate;
    this.detector = detector;
  }

  @Override
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    long start = System.nanoTime();
    try {
      SmsDelivery d = delegate.send(tplId, args, numbers, deadline);
      detector.record(true, Duration.ofNanos(System.nanoTime() - start));
      return d;
    } catch (SmsException e) {
      if (e.reason() == SmsException.Reason.FAILED || e.reason() == SmsException.Reason.TIMEOUT) {
        detector.record(false, Duration.ofNanos(System.nanoTime() - start));
      }
      throw e;
    }
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
