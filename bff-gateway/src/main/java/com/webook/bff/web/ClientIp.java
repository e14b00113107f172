package com.webook.bff.web;

import io.javalin.http.Context;

/**
 * The client's IP for rate limiting and the access log. By default the socket's peer: it cannot be
 * forged. With {@code http.trustForwardedFor} the last {@code X-Forwarded-For} entry, which is what
 * a single reverse proxy in front of us appends; earlier entries are whatever the client claimed
 * and are ignored. Turn it on only behind such a proxy (README).
 */
public final class ClientIp {
  static final String ATTRIBUTE = "bff.clientIp";

  private final boolean trustForwardedFor;

  public ClientIp(boolean trustForwardedFor) {
    this.trustForwardedFor = trustForwardedFor;
  }

  public String of(Context ctx) {
    String cached = ctx.attribute(ATTRIBUTE);
    if (cached != null) {
      return cached;
    }
    String ip = ctx.req().getRemoteAddr();
    if (trustForwardedFor) {
      String forwarded = lastForwarded(ctx.header("X-Forwarded-For"));
      if (forwarded != null) {
        ip = forwarded;
      }
    }
    ctx.attribute(ATTRIBUTE, ip);
    return ip;
  }

  static String lastForwarded(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.split(",", -1); // every part, empty ones included (skipped below)
    for (int i = parts.length - 1; i >= 0; i--) {
      String p = parts[i].trim();
      if (!p.isEmpty()) {
        return p.length() > 64 ? p.substring(0, 64) : p; // bounded: it becomes a Redis key
      }
    }
    return null;
  }
}
