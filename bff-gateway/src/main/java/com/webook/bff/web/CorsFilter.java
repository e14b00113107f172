package com.webook.bff.web;

import com.webook.bff.config.CorsConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * CORS exactly as SPEC §2.1 states it. Hand-written rather than Javalin's CorsPlugin because the
 * plugin matches origins by exact value or wildcard patterns and cannot express "the host contains
 * {@code localhost}"; it is also one place to read the whole policy.
 *
 * <p>An allowed origin is echoed (never {@code *}, which browsers refuse with credentials) with
 * credentials allowed and the two token headers exposed, so the web client can read them. A
 * preflight ({@code OPTIONS}) is answered here and never reaches the login check: 204 with the
 * allowed methods, headers and max age for an allowed origin, 403 without any CORS header for
 * another. Other requests from a foreign origin are served without CORS headers, so the browser
 * keeps the answer from the page.
 */
public final class CorsFilter implements Handler {
  static final String ALLOW_METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
  static final String ALLOW_HEADERS = "Content-Type, Authorization";
  static final String EXPOSE_HEADERS =
      LoginTokens.ACCESS_HEADER + ", " + LoginTokens.REFRESH_HEADER;

  private final boolean allowLocalhost;
  private final List<String> allowedDomains;
  private final String maxAgeSeconds;

  public CorsFilter(CorsConfig config) {
    this.allowLocalhost = config.allowLocalhost();
    this.allowedDomains = config.allowedDomains();
    this.maxAgeSeconds = Long.toString(config.maxAge().toSeconds());
  }

  @Override
  public void handle(Context ctx) {
    String origin = ctx.header("Origin");
    boolean allowed = origin != null && allows(origin);
    if (origin != null) {
      ctx.res().addHeader("Vary", "Origin"); // caches must not serve one origin's answer to another
    }
    if (allowed) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Access-Control-Allow-Credentials", "true");
      ctx.header("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }
    if (HandlerType.OPTIONS.equals(ctx.method())) {
      if (allowed) {
        ctx.header("Access-Control-Allow-Methods", ALLOW_METHODS);
        ctx.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
        ctx.header("Access-Control-Max-Age", maxAgeSeconds);
        Responses.empty(ctx, 204);
      } else if (origin != null) {
        Responses.empty(ctx, 403);
      } else {
        ctx.header("Allow", ALLOW_METHODS);
        Responses.empty(ctx, 204);
      }
      ctx.skipRemainingHandlers();
    }
  }

  /** Whether {@code origin} (scheme://host[:port]) may call with credentials. */
  public boolean allows(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (host == null
        || scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return false;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (allowLocalhost && host.contains("localhost")) {
      return true;
    }
    for (String domain : allowedDomains) {
      if (host.equals(domain) || host.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }
}
