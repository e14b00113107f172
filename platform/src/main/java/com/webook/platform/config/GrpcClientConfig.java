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
 * @param idempotentMethods calls retried on UNAVAILABLE (reads): {@code <pkg.Service>/<Method>}, or
 *     {@code <pkg.Service>} for all its methods; writes are never retried blindly
 * @param idleTimeout the channel drops its connections and resolver after this long without calls
 * @param balancer settings of {@code webook_weighted_round_robin} (see WeightedRoundRobinConfig),
 *     e.g. {@code slowStartWindow: 10s}, {@code failureThreshold: "5"}
 */
public record GrpcClientConfig(
    Duration deadline,
    Map<String, Duration> methodDeadlines,
    List<String> idempotentMethods,
    Duration idleTimeout,
    Map<String, String> balancer) {
  public GrpcClientConfig {
    Check.positive("deadline", deadline);
    methodDeadlines = methodDeadlines == null ? Map.of() : Map.copyOf(methodDeadlines);
    methodDeadlines.forEach((m, d) -> Check.positive("methodDeadlines." + m, d));
    idempotentMethods = idempotentMethods == null ? List.of() : List.copyOf(idempotentMethods);
    for (String m : idempotentMethods) {
      if (!m.matches("[A-Za-z_][\\w.]*(/[A-Za-z_]\\w*)?")) {
        throw new IllegalArgumentException(
            "idempotentMethods: '" + m + "' must be <pkg.Service> or <pkg.Service>/<Method>");
      }
    }
    Check.positive("idleTimeout", idleTimeout);
    balancer = balancer == null ? Map.of() : Map.copyOf(balancer);
  }

  /** Defaults for a service: this deadline, nothing retried, 30 min idle, default balancer. */
  public static GrpcClientConfig of(Duration deadline) {
    return new GrpcClientConfig(deadline, Map.of(), List.of(), Duration.ofMinutes(30), Map.of());
  }
}
