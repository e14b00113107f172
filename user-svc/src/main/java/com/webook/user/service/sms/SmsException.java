package com.webook.user.service.sms;

/**
 * A message could not be sent. The {@link Reason} drives the decorators: failover tries the next
 * provider, timeout failover counts timeouts, sync-to-async stores rate-limited requests, and
 * everyone stops at once on {@link Reason#CANCELLED}.
 */
public final class SmsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a send failed. */
  public enum Reason {
    /** The provider answered with an error, or could not be reached. */
    FAILED,
    /** The provider did not answer within its timeout. */
    TIMEOUT,
    /** Our own limiter (or the provider's) refused the request. */
    RATE_LIMITED,
    /** The caller gave up (deadline or cancellation) or the process is stopping. */
    CANCELLED
  }

  private final Reason reason;

  public SmsException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public SmsException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
