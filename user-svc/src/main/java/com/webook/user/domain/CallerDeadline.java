package com.webook.user.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the caller of the request being served still waits, and whether it has already gone
 * (cancelled, or its deadline passed). The exposure layer makes one per request — {@code
 * grpc/GrpcCallerDeadline} from the call's {@code io.grpc.Context} — and passes it down explicitly,
 * so business rules can stop work nobody waits for (the SMS failover loop) and cap their own
 * timeouts (an HTTP call to an SMS gateway) without knowing the transport. Work with no caller
 * waiting (the async SMS worker) passes {@link #NONE}.
 *
 * <p>A live view, not a snapshot: each question is answered at the moment it is asked, on a
 * monotonic clock. Implementations are thread-safe and cheap to ask repeatedly.
 */
public interface CallerDeadline {
  /** No deadline, never cancelled: background work, and callers that set no deadline. */
  CallerDeadline NONE =
      new CallerDeadline() {
        @Override
        public boolean gaveUp() {
          return false;
        }

        @Override
        public Optional<Duration> remaining() {
          return Optional.empty();
        }

        @Override
        public String toString() {
          return "no deadline";
        }
      };

  /** True once the caller cancelled or its deadline passed: anything done for it now is wasted. */
  boolean gaveUp();

  /**
   * The time left until the caller's deadline (zero or negative once it passed), or empty when the
   * caller set none.
   */
  Optional<Duration> remaining();
}
