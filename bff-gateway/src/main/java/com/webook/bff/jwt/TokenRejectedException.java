package com.webook.bff.jwt;

/** A token did not pass; answered with an empty 401. The message never contains the token. */
public final class TokenRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Rejection reason;

  public TokenRejectedException(Rejection reason) {
    super(
        "token rejected: " + reason.tag(),
        null,
        false,
        false); // expected, frequent: no stack trace
    this.reason = reason;
  }

  public Rejection reason() {
    return reason;
  }
}
