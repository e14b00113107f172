package com.webook.user.service.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A programmable SMS vendor for tests (JDK HttpServer on loopback): answers {@code {"code":"OK"}}
 * when {@link Mode#OK}, HTTP 500, 429, a refusal in the body, a slow OK, or drops the connection
 * ({@link Mode#DOWN}). Records every request it received and, separately, the messages it accepted.
 * Thread-safe.
 */
public final class FakeSmsGateway implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How the gateway answers. */
  public enum Mode {
    OK,
    ERROR_500,
    TOO_MANY_REQUESTS,
    REFUSED,
    NOT_JSON,
    SLOW,
    DOWN
  }

  /** One request as received. */
  public record Request(Map<String, List<String>> headers, String body, JsonNode json) {
    public List<String> args() {
      List<String> out = new ArrayList<>();
      json.path("templateParams").forEach(n -> out.add(n.asText()));
      return out;
    }

    public List<String> numbers() {
      List<String> out = new ArrayList<>();
      json.path("phoneNumbers").forEach(n -> out.add(n.asText()));
      return out;
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final List<Request> received = new CopyOnWriteArrayList<>();
  private final List<Request> accepted = new CopyOnWriteArrayList<>();
  private volatile Mode mode = Mode.OK;
  private volatile Duration slowness = Duration.ofSeconds(5);

  public FakeSmsGateway() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlers);
    server.createContext("/sms/send", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/sms/send";
  }

  public FakeSmsGateway mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  /** SLOW answers OK after this long. */
  public FakeSmsGateway slowness(Duration d) {
    this.slowness = d;
    return this;
  }

  public List<Request> received() {
    return List.copyOf(received);
  }

  public List<Request> accepted() {
    return List.copyOf(accepted);
  }

  /** The first template argument of every accepted message (tests put a unique token there). */
  public List<String> acceptedTokens() {
    return accepted.stream().map(r -> r.args().isEmpty() ? "" : r.args().get(0)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      json = JSON.createObjectNode();
    }
    Request request = new Request(Map.copyOf(exchange.getRequestHeaders()), body, json);
    received.add(request);
    Mode now = mode;
    switch (now) {
      case OK -> {
        accepted.add(request);
        respond(exchange, 200, "{\"code\":\"OK\",\"requestId\":\"r-" + received.size() + "\"}");
      }
      case SLOW -> {
        try {
          Thread.sleep(slowness.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        // The client gave up long ago; what it would have got does not count as delivered.
        respond(exchange, 200, "{\"code\":\"OK\"}");
      }
      case ERROR_500 -> respond(exchange, 500, "{\"code\":\"InternalError\"}");
      case TOO_MANY_REQUESTS -> respond(exchange, 429, "{\"code\":\"Throttling\"}");
      case REFUSED -> respond(exchange, 200, "{\"code\":\"InvalidSignName\"}");
      case NOT_JSON -> respond(exchange, 200, "<html>gateway error</html>");
      // No answer at all: the connection is dropped, as by a crashed gateway behind a proxy.
      case DOWN -> exchange.close();
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException e) {
      // the client went away (timed out): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
