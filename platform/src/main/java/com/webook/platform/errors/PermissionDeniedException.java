package com.webook.platform.errors;

/** The caller may not act on this resource (PERMISSION_DENIED). */
public final class PermissionDeniedException extends DomainException {
  private static final long serialVersionUID = 1L;

  public PermissionDeniedException(String message) {
    super(message);
  }

  public PermissionDeniedException(String message, Throwable cause) {
    super(message, cause);
  }
}
