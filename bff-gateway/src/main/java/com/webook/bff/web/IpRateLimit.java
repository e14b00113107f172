package com.webook.bff.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.TooManyRequestsResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-client-IP limit (SPEC §9): key {@code ip-limiter:<ip>}, over the limit → 429 with an
 * empty body. When the limiter fails, {@code rateLimit.allowOnError} decides; either way the
 * failure is counted ({@code bff_ratelimit_errors_total{decision}}) and logged.
 */
public final class IpRateLimit implements Handler {
  private static final Logger log = LoggerFactory.getLogger(IpRateLimit.class);
  static final String KEY_PREFIX = "ip-limiter:";

  private final RateLimiter limiter;
  private final ClientIp clientIp;
  private final boolean allowOnError;
  private final Counter rejections;
  private final Counter errors;

  public IpRateLimit(
      RateLimiter limiter, ClientIp clientIp, boolean allowOnError, MeterRegistry metrics) {
    this.limiter = limiter;
    this.clientIp = clientIp;
    this.allowOnError = allowOnError;
    this.rejections =
        Counter.builder("bff.ratelimit.rejections")
            .description("requests refused with 429 by the per-IP limit")
            .register(metrics);
    this.errors =
        Counter.builder("bff.ratelimit.errors")
            .description("per-IP limiter failures")
            .tag("decision", allowOnError ? "allowed" : "rejected")
            .register(metrics);
  }

  @Override
  public void handle(Context ctx) {
    boolean limited;
    try {
      limited = limiter.limited(KEY_PREFIX + clientIp.of(ctx));
    } catch (RuntimeException e) {
      errors.increment();
      log.warn(
          "request {}: rate limiter failed ({}), {} the request",
          RequestIds.of(ctx),
          e.toString(),
          allowOnError ? "allowing" : "refusing");
      limited = !allowOnError;
    }
    if (limited) {
      rejections.increment();
      throw new TooManyRequestsResponse();
    }
  }
}
