package com.webook.platform.balancer;

import io.grpc.CallOptions;
import io.grpc.LoadBalancer.Subchannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * The attempts of one retried or hedged call, carried in its {@link CallOptions} under {@link #KEY}
 * (gRPC hands the same call options to every attempt's pick and stream tracer). Two uses:
 *
 * <ul>
 *   <li>the picker sends a retry or hedge to an endpoint this call has not tried yet, while its
 *       lane has one (as Envoy's "previous hosts" retry predicate does), so three attempts on three
 *       endpoints cannot all land on the one that hangs;
 *   <li>the balancer's outcome tracer knows the call was hedged, and after what delay: an attempt
 *       that sat unanswered for that long and was then cancelled because another attempt won is a
 *       timeout of its endpoint, not a neutral cancel.
 * </ul>
 *
 * {@code client.GrpcChannels} attaches one to every call of a method it retries or hedges. Thread-
 * safe: hedged attempts of one call may be picked from different threads.
 */
public final class CallAttempts {
  /** Where the attempts of a call are found. */
  public static final CallOptions.Key<CallAttempts> KEY =
      CallOptions.Key.create("webook.callAttempts");

  private static final Subchannel[] NONE = new Subchannel[0];

  private final long hedgingDelayNanos;

  /** Copy on write (a handful of entries at most): reads take no lock. */
  private volatile Subchannel[] tried = NONE;

  /**
   * @param hedgingDelay the call's hedging delay, or zero when it is only retried
   */
  public CallAttempts(Duration hedgingDelay) {
    this.hedgingDelayNanos = hedgingDelay.toNanos();
  }

  /** Zero when the call is retried but not hedged. */
  long hedgingDelayNanos() {
    return hedgingDelayNanos;
  }

  boolean hasTried(Subchannel s) {
    for (Subchannel t : tried) {
      if (t == s) {
        return true;
      }
    }
    return false;
  }

  int triedCount() {
    return tried.length;
  }

  synchronized void add(Subchannel s) {
    if (!hasTried(s)) {
      Subchannel[] more = Arrays.copyOf(tried, tried.length + 1);
      more[more.length - 1] = s;
      tried = more;
    }
  }
}
