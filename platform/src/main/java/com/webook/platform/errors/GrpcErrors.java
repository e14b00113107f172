package com.webook.platform.errors;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * The one mapping from exceptions to gRPC {@link Status} (SPEC §3 error mapping). Anything that is
 * not a {@link DomainException} or a status from a downstream call (raw, or translated into a
 * {@link DownstreamException}) becomes {@code INTERNAL} with a fixed message: details belong in the
 * server's log, never on the wire. The inverse, status → exception for callers, is {@code
 * com.webook.platform.grpc.DownstreamCalls}.
 */
public final class GrpcErrors {
  private GrpcErrors() {}

  /** The status a handler that threw {@code t} answers with. */
  public static Status toStatus(Throwable t) {
    return switch (t) {
      case InvalidInputException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
      case NotFoundException e -> Status.NOT_FOUND.withDescription(e.getMessage());
      case ConflictException e -> Status.ALREADY_EXISTS.withDescription(e.getMessage());
      case PermissionDeniedException e -> Status.PERMISSION_DENIED.withDescription(e.getMessage());
      case RateLimitedException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
      case UnavailableException e -> Status.UNAVAILABLE.withDescription(e.getMessage());
      case DownstreamException e -> passOn(e.status());
      case StatusRuntimeException e -> passOn(e.getStatus());
      case StatusException e -> passOn(e.getStatus());
      default -> {
        if (Context.current().isCancelled()) {
          Throwable cause = Context.current().cancellationCause();
          yield cause instanceof java.util.concurrent.TimeoutException
              ? Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded")
              : Status.CANCELLED.withDescription("call cancelled");
        }
        yield Status.INTERNAL.withDescription("internal error");
      }
    };
  }

  /** True when the mapped status is a server-side fault worth logging with its stack trace. */
  public static boolean isServerFault(Status status) {
    return status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN;
  }

  /**
   * A status received from a downstream call, passed on to our caller. Statuses that describe the
   * downstream's own request (e.g. its INVALID_ARGUMENT about a request we built) are still passed
   * on, because our callers' input is what reached it; internal detail is stripped.
   */
  private static Status passOn(Status downstream) {
    if (downstream.getCode() == Status.Code.INTERNAL
        || downstream.getCode() == Status.Code.UNKNOWN
        || downstream.isOk()) { // an exception carrying OK is a bug, never a success
      return Status.INTERNAL.withDescription("internal error");
    }
    return Status.fromCode(downstream.getCode()).withDescription(downstream.getDescription());
  }
}
