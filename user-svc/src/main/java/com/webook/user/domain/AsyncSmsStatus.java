package com.webook.user.domain;

/** Life of a stored SMS request (column {@code async_sms.status}). */
public enum AsyncSmsStatus {
  WAITING(0),
  SENDING(1),
  SENT(2),
  FAILED(3);

  private final int code;

  AsyncSmsStatus(int code) {
    this.code = code;
  }

  /** The value stored in the database. */
  public int code() {
    return code;
  }

  public static AsyncSmsStatus of(int code) {
    for (AsyncSmsStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown async_sms status " + code);
  }
}
