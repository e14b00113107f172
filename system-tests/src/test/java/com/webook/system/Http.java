package com.webook.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A browser-shaped HTTP client for the BFF: JSON bodies, headers, parsed envelopes. */
final class Http {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PASSWORD = "hello#world123";
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String base;

  Http(String base) {
    this.base = base;
  }

  record Answer(int status, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw.body(), e);
      }
    }

    int code() {
      return json().get("code").asInt();
    }

    String msg() {
      return json().get("msg").asText();
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /**
   * Signs {@code email} up (password {@code hello#world123}), logs in, and returns the access
   * token; both answers must be OK. Requests carry {@code X-Forwarded-For: ip}, so tests can keep
   * their traffic apart from the IP limit of others.
   */
  String signUpAndLogIn(String email, String ip) {
    Answer signup =
        post(
            "/users/signup",
            Map.of("email", email, "password", PASSWORD, "confirmPassword", PASSWORD),
            "X-Forwarded-For",
            ip);
    if (signup.status() != 200 || signup.code() != 0) {
      throw new AssertionError("signup of " + email + " failed: " + signup.raw().body());
    }
    Answer login =
        post("/users/login", Map.of("email", email, "password", PASSWORD), "X-Forwarded-For", ip);
    String access = login.header("x-jwt-token");
    if (access == null || access.isBlank()) {
      throw new AssertionError("login of " + email + " returned no token: " + login.raw().body());
    }
    return access;
  }

  Answer post(String path, Object body, String... headers) {
    try {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .header("Content-Type", "application/json"),
          headers);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  Answer get(String path, String... headers) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), headers);
  }

  private Answer send(HttpRequest.Builder request, String... headers) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("User-Agent", "webook-e2e/1.0");
    for (int i = 0; i + 1 < headers.length; i += 2) {
      h.put(headers[i], headers[i + 1]);
    }
    h.forEach(request::header);
    try {
      HttpResponse<String> r =
          client.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
