package com.webook.platform.errors;

/** A dependency is down, a breaker is open or load is being shed (UNAVAILABLE). */
public final class UnavailableException extends DomainException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(String message) {
    super(message);
  }

  public UnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
