package com.webook.platform.errors;

/**
 * A failure the caller can act on, as opposed to a bug or an outage. Each subtype maps to one gRPC
 * status code ({@link GrpcErrors}) and, at the BFF, to one HTTP answer. Messages are safe to show
 * to callers: never put secrets, SQL or stack traces in them.
 */
public abstract sealed class DomainException extends RuntimeException
    permits InvalidInputException,
        NotFoundException,
        ConflictException,
        PermissionDeniedException,
        RateLimitedException,
        UnavailableException {
  private static final long serialVersionUID = 1L;

  protected DomainException(String message) {
    super(message);
  }

  protected DomainException(String message, Throwable cause) {
    super(message, cause);
  }
}
