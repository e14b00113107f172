package com.webook.user.service;

import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.service.sms.SmsDelivery;
import com.webook.user.service.sms.SmsException;
import com.webook.user.service.sms.SmsSender;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending text messages for callers (sms.v1.SmsService and the code service): runs the configured
 * provider stack and turns its failures into the domain errors of SPEC §3: rate limited (only
 * reachable with sync-to-async off) → {@link RateLimitedException}; failed or timed out, and not
 * accepted for later → {@link UnavailableException}; a caller that gave up → the {@link
 * SmsException} itself, which the gRPC error mapping reports as CANCELLED / DEADLINE_EXCEEDED from
 * the call's context. Thread-safe.
 */
public final class SmsService {
  private static final Logger log = LoggerFactory.getLogger(SmsService.class);

  private final SmsSender stack;

  public SmsService(SmsSender stack) {
    this.stack = stack;
  }

  /**
   * Sends through the stack.
   *
   * @param deadline the caller's (see {@link SmsSender#send})
   * @return sent now, or queued for the background worker
   */
  public SmsDelivery send(
      String tplId, List<String> args, List<String> numbers, CallerDeadline deadline) {
    try {
      return stack.send(tplId, args, numbers, deadline);
    } catch (SmsException e) {
      switch (e.reason()) {
        case RATE_LIMITED ->
            throw new RateLimitedException("SMS rate limit reached, try again later", e);
        case CANCELLED -> throw e;
        default -> {
          // The message (provider names, HTTP status) is for operators; callers get a fixed text.
          log.warn(
              "SMS to {} number(s) with template {} not delivered: {}",
              numbers.size(),
              tplId,
              e.getMessage());
          throw new UnavailableException("SMS cannot be delivered now, try again later", e);
        }
      }
    }
  }
}
