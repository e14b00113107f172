package com.webook.user.domain;

/**
 * An insert hit a unique key (email, phone or WeChat openId): someone else holds that identity,
 * possibly a concurrent request that just created it. Callers decide what that means: a conflict
 * for signup, "find again" for find-or-create.
 */
public final class DuplicateKeyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DuplicateKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
