package com.webook.bff.web;

import com.webook.bff.config.AccessLogConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on logger {@code com.webook.bff.access} (SPEC §10): method, path, masked
 * query, status, duration, request and response sizes, client IP and request id. With {@code
 * accessLog.bodies} also both bodies (masked, cut at {@code accessLog.maxBodyBytes}) and the
 * headers that matter for debugging a login, their secret values masked. Tokens, passwords, codes
 * and cookies never reach the log.
 */
public final class AccessLog {
  private static final Logger log = LoggerFactory.getLogger("com.webook.bff.access");

  private final AccessLogConfig config;
  private final ClientIp clientIp;
  private final SecretMasking masking;

  public AccessLog(AccessLogConfig config, ClientIp clientIp, SecretMasking masking) {
    this.config = config;
    this.clientIp = clientIp;
    this.masking = masking;
  }

  public void log(Context ctx, float durationMs) {
    if (!log.isInfoEnabled()) {
      return;
    }
    byte[] requestBody = ctx.attribute(Json.REQUEST_BODY);
    long requestBytes =
        requestBody != null ? requestBody.length : Math.max(0, ctx.req().getContentLengthLong());
    StringBuilder line =
        new StringBuilder(160)
            .append("method=")
            .append(ctx.method().name())
            .append(" path=")
            .append(ctx.path());
    String query = SecretMasking.query(ctx.queryString());
    if (!query.isEmpty()) {
      line.append(" query=").append(query);
    }
    line.append(" status=")
        .append(ctx.statusCode())
        .append(" durationMs=")
        .append(String.format(java.util.Locale.ROOT, "%.1f", durationMs))
        .append(" requestBytes=")
        .append(requestBytes)
        .append(" responseBytes=")
        .append(Responses.body(ctx).length)
        .append(" ip=")
        .append(clientIp.of(ctx))
        .append(" requestId=")
        .append(RequestIds.of(ctx));
    if (config.bodies()) {
      line.append(" requestHeaders={")
          .append(header("Authorization", ctx.header("Authorization")))
          .append(header("Cookie", ctx.header("Cookie")))
          .append(header("User-Agent", ctx.userAgent()))
          .append(header("Origin", ctx.header("Origin")))
          .append("} requestBody=")
          .append(
              requestBody == null ? "" : masking.requestBody(requestBody, config.maxBodyBytes()))
          .append(" responseHeaders={")
          .append(header(LoginTokens.ACCESS_HEADER, ctx.res().getHeader(LoginTokens.ACCESS_HEADER)))
          .append(
              header(LoginTokens.REFRESH_HEADER, ctx.res().getHeader(LoginTokens.REFRESH_HEADER)))
          .append(header("Set-Cookie", ctx.res().getHeader("Set-Cookie")))
          .append("} responseBody=")
          .append(masking.responseBody(Responses.body(ctx), config.maxBodyBytes()));
    }
    log.info(line.toString());
  }

  private static String header(String name, String value) {
    if (value == null) {
      return "";
    }
    String shown =
        SecretMasking.isSecret(name) && !value.isEmpty()
            ? SecretMasking.MASK
            : SecretMasking.maskForm(value);
    return name + "=" + (shown.length() > 256 ? shown.substring(0, 256) + "…" : shown) + ";";
  }
}
