package com.webook.platform.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.webook.platform.health.ReadinessCheck;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The admin HTTP port of every process (SPEC §1): {@code /metrics} (Prometheus text), {@code
 * /health/live} (the process answers) and {@code /health/ready} (every {@link ReadinessCheck}
 * holds: 200, else 503, with one line per check). Built on the JDK's HTTP server: three fixed
 * routes do not need a framework. Thread-safe.
 */
public final class AdminHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
  private final PrometheusMeterRegistry metrics;

  public AdminHttpServer(int port, PrometheusMeterRegistry metrics) {
    this.metrics = metrics;
    try {
      this.server = HttpServer.create(new InetSocketAddress(port), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("admin port " + port + " cannot be bound (in use?)", e);
    }
    server.setExecutor(executor);
    server.createContext("/metrics", this::metrics);
    server.createContext("/health/live", ex -> respond(ex, 200, "text/plain", "live\n"));
    server.createContext("/health/ready", this::ready);
  }

  public AdminHttpServer addCheck(ReadinessCheck check) {
    checks.add(check);
    return this;
  }

  public AdminHttpServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void metrics(HttpExchange ex) throws IOException {
    respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
  }

  private void ready(HttpExchange ex) throws IOException {
    StringBuilder body = new StringBuilder();
    boolean ready = true;
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Result r = check.check();
      ready &= r.ready();
      body.append(check.name())
          .append(": ")
          .append(r.ready() ? "ok" : "DOWN")
          .append(" - ")
          .append(r.detail())
          .append('\n');
    }
    respond(
        ex,
        ready ? 200 : 503,
        "text/plain; charset=utf-8",
        (ready ? "ready\n" : "not ready\n") + body);
  }

  private static void respond(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    if ("HEAD".equals(ex.getRequestMethod())) {
      ex.sendResponseHeaders(status, -1);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
