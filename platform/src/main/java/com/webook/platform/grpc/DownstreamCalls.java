package com.webook.platform.grpc;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.DownstreamException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * The one translation from the status of a call to another service into what the caller's code
 * works with: SPEC §3's error mapping read backwards, so that every client (the BFF's, article →
 * user, ranking → article and interactive) gives a status the same meaning.
 *
 * <table>
 *   <caption>status → exception</caption>
 *   <tr><th>status</th><th>thrown</th></tr>
 *   <tr><td>INVALID_ARGUMENT</td><td>{@link InvalidInputException}</td></tr>
 *   <tr><td>NOT_FOUND</td><td>{@link NotFoundException}</td></tr>
 *   <tr><td>ALREADY_EXISTS</td><td>{@link ConflictException}</td></tr>
 *   <tr><td>PERMISSION_DENIED</td><td>{@link PermissionDeniedException}</td></tr>
 *   <tr><td>RESOURCE_EXHAUSTED</td><td>{@link RateLimitedException}</td></tr>
 *   <tr><td>anything else</td><td>{@link DownstreamException}</td></tr>
 * </table>
 *
 * <p>The first five say something about the request, so the caller may answer its own caller with
 * them (the domain exception's message is the downstream's description). Everything else —
 * UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, UNKNOWN, UNIMPLEMENTED, UNAUTHENTICATED … —
 * is an outage or a bug the end user cannot act on: a {@link DownstreamException} carrying the
 * operation and the status for the log. UNAVAILABLE deliberately does not become {@link
 * com.webook.platform.errors.UnavailableException}: that one is what a service throws about itself
 * (a breaker open, load shed); a failed downstream call is reported with the operation that failed.
 *
 * <p>Stateless and thread-safe.
 */
public final class DownstreamCalls {
  private DownstreamCalls() {}

  /**
   * Runs one blocking stub call and translates its failure.
   *
   * @param operation the call, as {@code <service>.<Method>} (e.g. {@code user.Login}); it names
   *     the call in {@link DownstreamException} messages
   * @param call the stub call
   * @return what the stub returned
   */
  public static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      throw toException(operation, e);
    }
  }

  /** The exception for a failed blocking stub call (see the class comment for the table). */
  public static RuntimeException toException(String operation, StatusRuntimeException e) {
    return toException(operation, e.getStatus(), e);
  }

  /** The exception for a failed future or async stub call. */
  public static RuntimeException toException(String operation, StatusException e) {
    return toException(operation, e.getStatus(), e);
  }

  /**
   * The exception for a call that ended with {@code status}.
   *
   * @param cause what the stub threw, kept as the cause (may be null)
   */
  public static RuntimeException toException(String operation, Status status, Throwable cause) {
    String detail =
        status.getDescription() == null ? status.getCode().name() : status.getDescription();
    return switch (status.getCode()) {
      case INVALID_ARGUMENT -> new InvalidInputException(detail, cause);
      case NOT_FOUND -> new NotFoundException(detail, cause);
      case ALREADY_EXISTS -> new ConflictException(detail, cause);
      case PERMISSION_DENIED -> new PermissionDeniedException(detail, cause);
      case RESOURCE_EXHAUSTED -> new RateLimitedException(detail, cause);
      default -> new DownstreamException(operation, status, cause);
    };
  }
}
