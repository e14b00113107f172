package com.webook.platform.errors;

/** The request is malformed or violates a rule (INVALID_ARGUMENT). */
public final class InvalidInputException extends DomainException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
