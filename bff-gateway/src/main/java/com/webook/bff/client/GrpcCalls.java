package com.webook.bff.client;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * The one translation from a downstream gRPC status to what the BFF's handlers work with (SPEC §3
 * error mapping, read backwards): the statuses that say something about the user's request become
 * the platform's domain exceptions; everything else is a {@link DownstreamException}.
 */
public final class GrpcCalls {
  private GrpcCalls() {}

  /** Runs one blocking stub call named {@code operation} (e.g. {@code user.Login}). */
  public static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw translate(operation, e);
    }
  }

  public static RuntimeException translate(String operation, StatusRuntimeException e) {
    Status status = e.getStatus();
    String detail =
        status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return switch (status.getCode()) {
      case INVALID_ARGUMENT -> new InvalidInputException(detail, e);
      case NOT_FOUND -> new NotFoundException(detail, e);
      case ALREADY_EXISTS -> new ConflictException(detail, e);
      case PERMISSION_DENIED -> new PermissionDeniedException(detail, e);
      case RESOURCE_EXHAUSTED -> new RateLimitedException(detail, e);
      default -> new DownstreamException(operation, status, e);
    };
  }
}
