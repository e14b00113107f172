package com.webook.platform.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How this process calls one downstream service (SPEC §8.4).
 *
 * @param deadline default deadline of every call that does not carry one
 * @param methodDeadlines per-method overrides, keyed by bare method name ({@code Login}) or full
 *     name ({@code user.v1.UserService/Login})
 * @param idempotentMethods calls that may be sent more than once (reads): {@code
 *     <pkg.Service>/<Method>}, or {@code <pkg.Service>} for all its methods; they are retried on
 *     UNAVAILABLE, or hedged when {@code hedgingDelay} is set; writes are never retried blindly
 * @param retriedWrites writes the server makes idempotent (a like, a collect: a second copy changes
 *     nothing), same syntax: retried on UNAVAILABLE (10 ms → 100 ms backoff, {@code maxAttempts})
 *     but never hedged, whatever {@code hedgingDelay} says — a hedge is two concurrent copies on
 *     two instances, doubling write load when the database is slow, and a copy stuck on a slow
 *     instance could land after the user's next toggle. Not also listed in {@code
 *     idempotentMethods}
 * @param maxAttempts attempts per idempotent call, first one included (2..5), retries or hedges
 * @param hedgingDelay idempotent calls: when the attempt has not answered after this long, send the
 *     next one to another endpoint and take whichever answers first (gRPC hedging; an UNAVAILABLE
 *     answer sends the next one at once). Zero: no hedging, retries on UNAVAILABLE only (10 ms →
 *     100 ms backoff). Set it above the service's healthy p99
 * @param keepAliveTime while calls are open, an HTTP/2 PING is sent after this long without
 *     anything read from the connection (at least 10 s, gRPC's floor; the servers permit 5 s)
 * @param keepAliveTimeout no PING answer within this: the connection is closed and its calls fail
 *     UNAVAILABLE (idempotent ones are retried elsewhere), so a peer that stopped answering is let
 *     go
 * @param idleTimeout the channel drops its connections and resolver after this long without calls
 * @param balancer settings of {@code webook_weighted_round_robin}
 * @param requiredForReadiness whether the process is ready only while this service has a connected
 *     endpoint (SPEC §2.5: the BFF's downstreams). False for a dependency the process degrades
 *     without (article-svc serves articles without author names while user-svc is down): a
 *     readiness that follows such a dependency would take the whole process out of its load
 *     balancer during the other's outage
 */
public record GrpcClientConfig(
    Duration deadline,
    Map<String, Duration> methodDeadlines,
    List<String> idempotentMethods,
    List<String> retriedWrites,
    int maxAttempts,
    Duration hedgingDelay,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    Duration idleTimeout,
    WeightedRoundRobinConfig balancer,
    boolean requiredForReadiness) {
  /** gRPC raises shorter keep-alive times to this. */
  static final Duration MIN_KEEP_ALIVE_TIME = Duration.ofSeconds(10);

  public GrpcClientConfig {
    Check.positive("deadline", deadline);
    methodDeadlines = methodDeadlines == null ? Map.of() : Map.copyOf(methodDeadlines);
    methodDeadlines.forEach((m, d) -> Check.positive("methodDeadlines." + m, d));
    idempotentMethods = idempotentMethods == null ? List.of() : List.copyOf(idempotentMethods);
    checkMethodNames("idempotentMethods", idempotentMethods);
    retriedWrites = retriedWrites == null ? List.of() : List.copyOf(retriedWrites);
    checkMethodNames("retriedWrites", retriedWrites);
    for (String m : retriedWrites) {
      if (idempotentMethods.contains(m)) {
        throw new IllegalArgumentException(
            "retriedWrites: '" + m + "' is also in idempotentMethods; list it in one of them");
      }
    }
    // gRPC caps both retry and hedging policies at 5 attempts.
    Check.range("maxAttempts", maxAttempts, 2, 5);
    Check.notNegative("hedgingDelay", hedgingDelay);
    Check.notNull("keepAliveTime", keepAliveTime);
    if (keepAliveTime.compareTo(MIN_KEEP_ALIVE_TIME) < 0) {
      throw new IllegalArgumentException(
          "keepAliveTime: must be at least 10s, gRPC's floor (was " + keepAliveTime + ")");
    }
    Check.positive("keepAliveTimeout", keepAliveTimeout);
    Check.positive("idleTimeout", idleTimeout);
    Check.notNull("balancer", balancer);
  }

  /**
   * Defaults for a service: this deadline, nothing retried (3 attempts, 10 s / 2 s keep-alive once
   * methods are listed), 30 min idle, the default balancer.
   */
  public static GrpcClientConfig of(Duration deadline) {
    return new GrpcClientConfig(
        deadline,
        Map.of(),
        List.of(),
        List.of(),
        3,
        Duration.ZERO,
        MIN_KEEP_ALIVE_TIME,
        Duration.ofSeconds(2),
        Duration.ofMinutes(30),
        WeightedRoundRobinConfig.defaults(),
        true);
  }

  private static void checkMethodNames(String key, List<String> methods) {
    for (String m : methods) {
      if (!m.matches("[A-Za-z_][\\w.]*(/[A-Za-z_]\\w*)?")) {
        throw new IllegalArgumentException(
            key + ": '" + m + "' must be <pkg.Service> or <pkg.Service>/<Method>");
      }
    }
  }
}
