package com.webook.platform.errors;

import io.grpc.Status;

/**
 * A call to another service failed in a way our caller cannot act on: unavailable, deadline
 * exceeded, internal error, or any status that says nothing about the request (SPEC §3 error
 * mapping, read backwards; see {@code com.webook.platform.grpc.DownstreamCalls}). Not a {@link
 * DomainException}: it reports an outage or a bug downstream, not a rule the caller broke.
 *
 * <p>At the BFF it becomes the route's system error ("系统错误"), with the operation, status and
 * description in the log only. A service that lets it escape a handler answers with the downstream
 * status ({@link GrpcErrors#toStatus}: UNAVAILABLE and DEADLINE_EXCEEDED pass on, INTERNAL stays
 * INTERNAL without detail), exactly as if the raw {@code StatusRuntimeException} had escaped.
 */
public final class DownstreamException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final Status.Code code;
  private final String description;

  /**
   * Creates the exception for a failed call.
   *
   * @param operation the call, as {@code <service>.<Method>} (e.g. {@code user.Signup})
   * @param status the status the call ended with
   * @param cause the exception the stub threw (may be null)
   */
  public DownstreamException(String operation, Status status, Throwable cause) {
    super(
        operation
            + " failed: "
            + status.getCode()
            + (status.getDescription() == null ? "" : " " + status.getDescription()),
        cause);
    this.operation = operation;
    this.code = status.getCode();
    this.description = status.getDescription();
  }

  /** The failed call, e.g. {@code user.Signup}. */
  public String operation() {
    return operation;
  }

  /** The status code the call ended with. */
  public Status.Code code() {
    return code;
  }

  /** The status the call ended with, description included (for logs, never for end users). */
  public Status status() {
    return Status.fromCode(code).withDescription(description);
  }
}
