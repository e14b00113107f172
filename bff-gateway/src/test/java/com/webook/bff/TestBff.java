package com.webook.bff;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.webook.bff.client.ArticleClient;
import com.webook.bff.client.CodeClient;
import com.webook.bff.client.InteractiveClient;
import com.webook.bff.client.RankingClient;
import com.webook.bff.client.UserClient;
import com.webook.bff.client.WechatClient;
import com.webook.bff.config.BffConfig;
import com.webook.bff.session.SessionStore;
import com.webook.bff.web.RateLimiter;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.routing.RouteGroup;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The BFF in-process for tests, built as {@link BffApp} builds it — on a platform {@link
 * ServiceHost} (admin port, readiness, the graceful stop), {@link HttpApi#create} over {@link
 * Backends}, served through {@link BffApp#httpPort} — on free ports, in front of a {@link
 * FakeUserSvc}, a {@link FakeArticleSvc}, a {@link FakeInteractiveSvc} and a {@link FakeRankingSvc}
 * (all but the user fake through channels that pass the route group on, as the platform's channels
 * do). The config is the real {@code dev.yaml} over the platform defaults with {@code WEBOOK_*}
 * overrides; the client IP is taken from {@code X-Forwarded-For}, and every request of this
 * instance carries its own fake IP, so tests never share a rate-limit key.
 */
final class TestBff implements AutoCloseable {
  static final String USER_AGENT = "webook-test/1.0";
  private static final ObjectMapper JSON = new ObjectMapper();

  final FakeUserSvc userSvc;
  final FakeArticleSvc articleSvc;
  final FakeInteractiveSvc interactiveSvc;
  final FakeRankingSvc rankingSvc;
  final BffConfig config;
  final MeterRegistry metrics;
  final Javalin app;
  final String clientIp;
  private final ServiceHost host;
  private final Redis redis; // null for in-memory stores
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestBff(
      Map<String, String> env,
      Redis givenRedis,
      boolean stackRedis,
      SessionStore memorySessions,
      RateLimiter memoryLimiter) {
    this.config = config(env);
    this.userSvc = new FakeUserSvc();
    this.articleSvc = new FakeArticleSvc();
    this.interactiveSvc = new FakeInteractiveSvc();
    this.rankingSvc = new FakeRankingSvc();
    this.host = new ServiceHost("bff-test", "bff", "127.0.0.1:0", config);
    this.metrics = host.metrics();
    try {
      // Like BffApp.backends, with the fakes instead of the etcd channels.
      this.redis = stackRedis ? host.redis(config.redis()) : givenRedis;
      Channel articles =
          ClientInterceptors.intercept(articleSvc.channel(), RouteGroup.propagator());
      Channel interactive =
          ClientInterceptors.intercept(interactiveSvc.channel(), RouteGroup.propagator());
      Channel ranking = ClientInterceptors.intercept(rankingSvc.channel(), RouteGroup.propagator());
      Backends backends =
          redis != null
              ? Backends.of(
                  userSvc.channel(),
                  articles,
                  interactive,
                  ranking,
                  redis.connection(),
                  config.rateLimit())
              : new Backends(
                  new UserClient(userSvc.channel()),
                  new CodeClient(userSvc.channel()),
                  new WechatClient(userSvc.channel()),
                  new ArticleClient(articles),
                  new InteractiveClient(interactive),
                  new RankingClient(ranking),
                  memorySessions,
                  memoryLimiter);
      this.app =
          HttpApi.create(config, backends, metrics, Clock.systemUTC(), BffApp.background(host));
      host.start(BffApp.httpPort(app, "127.0.0.1", 0));
    } catch (Exception e) {
      host.stop();
      closeFakes();
      throw new IllegalStateException("cannot start the BFF in-process", e);
    }
    this.clientIp =
        "10."
            + ThreadLocalRandom.current().nextInt(256)
            + "."
            + ThreadLocalRandom.current().nextInt(256)
            + "."
            + ThreadLocalRandom.current().nextInt(1, 255);
  }

  /** The dev profile with test overrides: any free port, client IP from X-Forwarded-For. */
  static BffConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("WEBOOK_HTTP_PORT", "0");
    env.put("WEBOOK_ADMIN_PORT", "0");
    env.put("WEBOOK_HTTP_TRUST_FORWARDED_FOR", "true");
    env.putAll(overrides);
    return new ConfigLoader(env).load(BffConfig.class, new String[0]);
  }

  /** Sessions and the IP limit in the given Redis (owned by the caller). */
  static TestBff withRedis(Redis redis, Map<String, String> env) {
    return new TestBff(env, redis, false, null, null);
  }

  /**
   * Sessions and the IP limit in the local stack's Redis, connected by the host as in production
   * (and closed with it).
   */
  static TestBff onStackRedis(Map<String, String> env) {
    Map<String, String> withRedis = new HashMap<>(env);
    withRedis.put("WEBOOK_REDIS_URL", com.webook.testsupport.TestStack.redisUrl());
    withRedis.put("WEBOOK_REDIS_COMMAND_TIMEOUT", "2s");
    return new TestBff(withRedis, null, true, null, null);
  }

  /** The envelope body {@code {"code":…,"msg":…,"data":null}}. */
  static String envelope(int code, String msg) {
    return "{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":null}";
  }

  /** No Redis at all: logouts in memory, no IP limit. For unit tests. */
  static TestBff inMemory() {
    return inMemory(Map.of(), key -> false);
  }

  /** No Redis: logouts in memory, {@code limiter} as the IP limit. */
  static TestBff inMemory(Map<String, String> env, RateLimiter limiter) {
    return inMemory(env, new MemorySessions(), limiter);
  }

  /** No Redis: {@code sessions} as the logout store, {@code limiter} as the IP limit. */
  static TestBff inMemory(Map<String, String> env, SessionStore sessions, RateLimiter limiter) {
    return new TestBff(env, null, false, sessions, limiter);
  }

  /** The Redis this instance keeps sessions and limits in (null for in-memory instances). */
  Redis redis() {
    return redis;
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
  }

  /**
   * A request with this instance's User-Agent and client IP; {@code headers} are name, value pairs.
   */
  HttpRequest.Builder request(String pathAndQuery, String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(pathAndQuery))
            .timeout(Duration.ofSeconds(30))
            .header("User-Agent", USER_AGENT)
            .header("X-Forwarded-For", clientIp);
    for (int i = 0; i < headers.length; i += 2) {
      b.setHeader(headers[i], headers[i + 1]);
    }
    return b;
  }

  HttpResponse<String> post(String path, String json, String... headers) {
    return send(
        request(path, headers)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send(request(pathAndQuery, headers).GET());
  }

  /** {@code request} (GET unless set), its body as bytes (compressed bodies). */
  HttpResponse<byte[]> sendBytes(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs up and logs in by email; returns the login response (tokens in its headers). */
  HttpResponse<String> signupAndLogin(String email, String password) {
    HttpResponse<String> signup =
        post(
            "/users/signup",
            "{\"email\":\""
                + email
                + "\",\"password\":\""
                + password
                + "\",\"confirmPassword\":\""
                + password
                + "\"}");
    if (!signup.body().equals("{\"code\":0,\"msg\":\"注册成功\",\"data\":null}")) {
      throw new IllegalStateException("signup failed: " + signup.body());
    }
    return post("/users/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  static String accessToken(HttpResponse<?> r) {
    return r.headers()
        .firstValue("x-jwt-token")
        .orElseThrow(() -> new AssertionError("no x-jwt-token"));
  }

  /** The {@code Ssid} claim of a token (read, not verified). */
  static String ssid(String token) {
    try {
      String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), UTF_8);
      return JSON.readTree(payload).get("Ssid").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String refreshToken(HttpResponse<?> r) {
    return r.headers()
        .firstValue("x-refresh-token")
        .orElseThrow(() -> new AssertionError("no x-refresh-token"));
  }

  /** {@code value} as JSON text (request bodies). */
  static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  double authFailures(String token, String reason) {
    var c = metrics.find("bff.auth.failures").tag("token", token).tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }

  /** The value of counter {@code name} with these tags (name=value pairs), 0 if never counted. */
  double count(String name, String... tags) {
    var c = metrics.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    host.stop();
    closeFakes();
  }

  private void closeFakes() {
    userSvc.close();
    articleSvc.close();
    interactiveSvc.close();
    rankingSvc.close();
  }

  /** Logged-out sessions in memory: the {@link SessionStore} seam for tests without Redis. */
  static final class MemorySessions implements SessionStore {
    private final Set<String> loggedOut = ConcurrentHashMap.newKeySet();

    @Override
    public boolean isLoggedOut(String ssid) {
      return loggedOut.contains(ssid);
    }

    @Override
    public void logOut(String ssid, Duration ttl) {
      loggedOut.add(ssid);
    }
  }
}
