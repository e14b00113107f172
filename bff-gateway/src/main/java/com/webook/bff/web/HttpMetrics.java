package com.webook.bff.web;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server timer of SPEC §10: {@code
 * http_server_requests_seconds{method,route,status,outcome}}. {@code route} is the route pattern
 * (e.g. {@code /articles/pub/{id}}), never the raw path, so the number of series stays bounded;
 * requests that match no route share {@code unmatched}. {@code outcome} makes the golden "errors"
 * signal visible although the envelope travels with HTTP 200: {@code success}, {@code client_error}
 * or {@code server_error}, from the status and the envelope code.
 */
public final class HttpMetrics {
  private final MeterRegistry metrics;

  public HttpMetrics(MeterRegistry metrics) {
    this.metrics = metrics;
  }

  public void record(Context ctx, float durationMs) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    Timer.builder("http.server.requests")
        .description("HTTP requests served by the BFF")
        .tag("method", ctx.method().name())
        .tag("route", endpoint == null ? "unmatched" : endpoint.path)
        .tag("status", Integer.toString(ctx.statusCode()))
        .tag("outcome", outcome(ctx.statusCode(), Responses.resultCode(ctx)))
        .register(metrics)
        .record((long) (durationMs * 1_000_000L), TimeUnit.NANOSECONDS);
  }

  static String outcome(int status, Integer resultCode) {
    if (status >= 500) {
      return "server_error";
    }
    if (status >= 400) {
      return "client_error";
    }
    if (resultCode == null || resultCode == 0) {
      return "success";
    }
    // 5 and the module system codes 5xxxxx are ours; 4 and 4xxxxx are the caller's.
    return resultCode == 5 || resultCode / 100_000 == 5 ? "server_error" : "client_error";
  }
}
