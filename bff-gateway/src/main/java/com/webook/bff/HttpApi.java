package com.webook.bff;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;

/** Every HTTP route and filter of the BFF, declared in one place (SPEC §2). */
public final class HttpApi {
  static final String REQUEST_ID = "X-Request-Id";

  private HttpApi() {}

  public static Javalin create(HttpConfig http, MeterRegistry metrics) {
    return Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.http.maxRequestSize = http.maxRequestBytes();
      config.startup.showJavalinBanner = false;
      config.routes.before(ctx -> {
        String id = ctx.header(REQUEST_ID);
        ctx.header(REQUEST_ID, id == null || id.isBlank() || id.length() > 128 ? UUID.randomUUID().toString() : id);
      });
      config.routes.get("/hello", ctx -> ctx.result("hello"));
    });
  }
}
