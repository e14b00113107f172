package com.webook.bff.client;

import io.grpc.Status;

/**
 * A downstream call failed in a way the user cannot act on: unavailable, deadline exceeded,
 * internal error, or any status the BFF gives no meaning to. Answered as a system error; the
 * operation, status and description go to the log only.
 */
public final class DownstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Status.Code code;

  public DownstreamException(String operation, Status status, Throwable cause) {
    super(
        operation
            + " failed: "
            + status.getCode()
            + (status.getDescription() == null ? "" : " " + status.getDescription()),
        cause);
    this.operation = operation;
    this.code = status.getCode();
  }

  /** e.g. {@code user.Signup} */
  public String operation() {
    return operation;
  }

  public Status.Code code() {
    return code;
  }
}
