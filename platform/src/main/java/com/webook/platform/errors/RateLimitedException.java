package com.webook.platform.errors;

/** Too many requests; try later (RESOURCE_EXHAUSTED). */
public final class RateLimitedException extends DomainException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(String message) {
    super(message);
  }

  public RateLimitedException(String message, Throwable cause) {
    super(message, cause);
  }
}
