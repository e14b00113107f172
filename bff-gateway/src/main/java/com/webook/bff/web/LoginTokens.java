package com.webook.bff.web;

import com.webook.bff.jwt.AccessClaims;
import com.webook.bff.jwt.JwtTokens;
import com.webook.bff.jwt.RefreshClaims;
import com.webook.bff.jwt.Rejection;
import com.webook.bff.jwt.TokenRejectedException;
import com.webook.bff.session.SessionStore;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login sessions on the wire (SPEC §2.2): every login starts a new session ({@code ssid}, a random
 * UUID) and hands out both tokens in response headers; the login check lets a request in only with
 * a valid access token of a session that was not logged out, from the browser it was issued to.
 *
 * <p>Failures throw {@link TokenRejectedException} (answered with an empty 401) and are counted in
 * {@code bff_auth_failures_total{token,reason}}. A logout store error also rejects (fail closed: a
 * logged-out token must never get back in because Redis hiccupped) and is logged. Tokens are never
 * logged. Thread-safe.
 */
public final class LoginTokens {
  private static final Logger log = LoggerFactory.getLogger(LoginTokens.class);
  public static final String ACCESS_HEADER = "x-jwt-token";
  public static final String REFRESH_HEADER = "x-refresh-token";
  static final String CLAIMS = "bff.claims";
  private static final String PREFETCHED = "bff.session.prefetched";
  private static final String BEARER = "Bearer ";

  private final JwtTokens jwt;
  private final SessionStore sessions;
  private final MeterRegistry metrics;

  public LoginTokens(JwtTokens jwt, SessionStore sessions, MeterRegistry metrics) {
    this.jwt = jwt;
    this.sessions = sessions;
    this.metrics = metrics;
    for (Rejection r : Rejection.values()) { // pre-register so dashboards see zeros, not gaps
      counter("access", r);
      counter("refresh", r);
    }
  }

  /** After a successful login of {@code uid}: a new session and both tokens. */
  public void startSession(Context ctx, long uid) {
    String ssid = UUID.randomUUID().toString();
    ctx.header(ACCESS_HEADER, jwt.issueAccess(uid, ssid, userAgent(ctx)));
    ctx.header(REFRESH_HEADER, jwt.issueRefresh(uid, ssid));
  }

  /**
   * A filter that runs before the per-IP limit: when the request carries an access token that
   * verifies, asks the session store whether its session was logged out, without waiting. The
   * answer is used by {@link #requireLogin}; on a public route it is simply not used.
   */
  public void prefetchSession(Context ctx) {
    if (HandlerType.OPTIONS.equals(ctx.method()) || ctx.header("Authorization") == null) {
      return;
    }
    AccessClaims claims;
    try {
      claims = jwt.verifyAccess(bearer(ctx));
    } catch (TokenRejectedException e) {
      return; // requireLogin verifies again, rejects and counts the reason
    }
    ctx.attribute(
        PREFETCHED, new PrefetchedSession(claims, sessions.isLoggedOutAsync(claims.ssid())));
  }

  /** The login check filter: every matched route except the public ones and preflights. */
  public void requireLogin(Context ctx) {
    if (HandlerType.OPTIONS.equals(ctx.method()) || ctx.routeRoles().contains(Access.PUBLIC)) {
      return;
    }
    try {
      PrefetchedSession prefetched = ctx.attribute(PREFETCHED);
      AccessClaims claims =
          prefetched != null ? prefetched.claims() : jwt.verifyAccess(bearer(ctx));
      if (!claims.userAgent().equals(userAgent(ctx))) {
        throw new TokenRejectedException(Rejection.USER_AGENT);
      }
      requireNotLoggedOut(
          ctx,
          prefetched != null ? prefetched.loggedOut() : sessions.isLoggedOutAsync(claims.ssid()));
      ctx.attribute(CLAIMS, claims);
    } catch (TokenRejectedException e) {
      counter("access", e.reason()).increment();
      throw e;
    }
  }

  /** The caller of a route behind the login check. */
  public static AccessClaims claims(Context ctx) {
    AccessClaims claims = ctx.attribute(CLAIMS);
    if (claims == null) { // a route declared LOGGED_IN always has them; anything else is a bug
      throw new IllegalStateException("route " + ctx.path() + " reached without the login check");
    }
    return claims;
  }

  /** {@code POST /users/refresh_token}: a new access token for the same session. */
  public void refresh(Context ctx) {
    RefreshClaims claims;
    try {
      claims = jwt.verifyRefresh(bearer(ctx));
      requireNotLoggedOut(ctx, sessions.isLoggedOutAsync(claims.ssid()));
    } catch (TokenRejectedException e) {
      counter("refresh", e.reason()).increment();
      throw e;
    }
    ctx.header(ACCESS_HEADER, jwt.issueAccess(claims.uid(), claims.ssid(), userAgent(ctx)));
  }

  /** {@code POST /users/logout}: the session's tokens stop working everywhere, at once. */
  public void logout(Context ctx) {
    sessions.logOut(claims(ctx).ssid(), jwt.refreshTtl());
    ctx.header(ACCESS_HEADER, "");
    ctx.header(REFRESH_HEADER, "");
  }

  private static void requireNotLoggedOut(Context ctx, CompletionStage<Boolean> answer) {
    boolean loggedOut;
    try {
      loggedOut = answer.toCompletableFuture().join();
    } catch (CompletionException | CancellationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      log.warn(
          "request {}: session store failed, refusing the request (fail closed): {}",
          RequestIds.of(ctx),
          cause.toString());
      throw new TokenRejectedException(Rejection.SESSION_STORE_ERROR);
    }
    if (loggedOut) {
      throw new TokenRejectedException(Rejection.LOGGED_OUT);
    }
  }

  /** A logged-out check started ahead of the login check, for the token it verified. */
  private record PrefetchedSession(AccessClaims claims, CompletionStage<Boolean> loggedOut) {}

  /** The token of {@code Authorization: Bearer <token>}. */
  static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null
        || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new TokenRejectedException(Rejection.MISSING);
    }
    String token = header.substring(BEARER.length()).trim();
    if (token.isEmpty() || token.contains(" ")) {
      throw new TokenRejectedException(Rejection.MISSING);
    }
    return token;
  }

  private static String userAgent(Context ctx) {
    String ua = ctx.userAgent();
    return ua == null ? "" : ua;
  }

  private Counter counter(String token, Rejection reason) {
    return Counter.builder("bff.auth.failures")
        .description("requests refused with 401, by token and reason")
        .tag("token", token)
        .tag("reason", reason.tag())
        .register(metrics);
  }
}
