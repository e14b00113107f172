package com.webook.platform.errors;

/** The change conflicts with existing data, e.g. a duplicate unique key (ALREADY_EXISTS). */
public final class ConflictException extends DomainException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
