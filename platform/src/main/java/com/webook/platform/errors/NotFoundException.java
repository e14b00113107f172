package com.webook.platform.errors;

/** The thing asked for does not exist, or must not be revealed to exist (NOT_FOUND). */
public final class NotFoundException extends DomainException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
