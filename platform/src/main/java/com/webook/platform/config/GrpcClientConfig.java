package com.webook.platform.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How this process calls one downstream service (SPEC §8.4).
 *
 * @param deadline default deadline of every call that does not carry one
 * @param methodDeadlines per-method overrides, keyed by method name (e.g. {@code Login: 3s})
 * @param idempotentMethods methods retried on UNAVAILABLE (reads); others are never retried blindly
 */
public record GrpcClientConfig(Duration deadline, Map<String, Duration> methodDeadlines,
    List<String> idempotentMethods) {
  public GrpcClientConfig {
    Check.positive("deadline", deadline);
    methodDeadlines = methodDeadlines == null ? Map.of() : Map.copyOf(methodDeadlines);
    methodDeadlines.forEach((m, d) -> Check.positive("methodDeadlines." + m, d));
    idempotentMethods = idempotentMethods == null ? List.of() : List.copyOf(idempotentMethods);
  }
}
