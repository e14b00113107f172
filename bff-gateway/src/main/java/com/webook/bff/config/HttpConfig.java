package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The public HTTP listener.
 *
 * @param port listening port
 * @param maxRequestBytes larger request bodies are refused with 413 (SPEC §2.1), on every route but
 *     the two article writes
 * @param maxArticleRequestBytes the cap of {@code POST /articles/edit} and {@code
 *     /articles/publish} instead: their content may be 1 MiB of UTF-8 (SPEC §2.4), which takes up
 *     to six times as many bytes once JSON-escaped (a control character takes six bytes escaped),
 *     so 1 MiB would refuse articles the spec accepts. At least {@code maxRequestBytes}
 * @param maxDiscardBytes how much of a refused (413) body is read and thrown away so that the
 *     client, which sends its whole body before it reads the answer, receives the 413 instead of a
 *     reset connection; a body announced larger is answered at once and the connection closed. At
 *     least {@code maxArticleRequestBytes}
 * @param zone the zone times in VOs are rendered in, e.g. {@code +08:00} or {@code Asia/Shanghai}
 * @param trustForwardedFor take the client IP (rate limit, access log) from the last {@code
 *     X-Forwarded-For} entry instead of the socket. Only safe behind exactly one proxy that appends
 *     the address it saw; anyone else could pick their own IP.
 */
public record HttpConfig(
    int port,
    long maxRequestBytes,
    long maxArticleRequestBytes,
    long maxDiscardBytes,
    String zone,
    boolean trustForwardedFor) {
  public HttpConfig {
    Check.range("port", port, 0, 65535); // 0: any free port (tests)
    Check.positive("maxRequestBytes", maxRequestBytes);
    if (maxArticleRequestBytes < maxRequestBytes) {
      throw new IllegalArgumentException(
          "maxArticleRequestBytes: must be at least maxRequestBytes ("
              + maxRequestBytes
              + "), was "
              + maxArticleRequestBytes);
    }
    if (maxDiscardBytes < maxArticleRequestBytes) {
      throw new IllegalArgumentException(
          "maxDiscardBytes: must be at least maxArticleRequestBytes ("
              + maxArticleRequestBytes
              + "), was "
              + maxDiscardBytes);
    }
    Check.notBlank("zone", zone);
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "zone: '" + zone + "' is not a zone id or offset (e.g. +08:00)");
    }
  }

  public ZoneId zoneId() {
    return ZoneId.of(zone);
  }
}
