package com.webook.bff.web;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Every response body leaves through here, so the access log and the metrics know its size, its
 * envelope code and (when body logging is on) its content.
 */
public final class Responses {
  static final String BODY = "bff.responseBody";
  static final String RESULT_CODE = "bff.resultCode";

  private Responses() {}

  public static void bytes(Context ctx, String contentType, byte[] body) {
    ctx.attribute(BODY, body);
    ctx.contentType(contentType);
    ctx.result(body);
  }

  /**
   * A body rendered once and sent many times (the hot list), with its gzip form made once too:
   * Javalin would otherwise compress a large body again on every request that accepts gzip.
   *
   * @param gzipped the gzip form, or null where it is not smaller
   */
  public record Rendered(String contentType, byte[] body, byte[] gzipped) {
    public static Rendered of(String contentType, byte[] body) {
      byte[] gzipped = gzip(body);
      return new Rendered(contentType, body, gzipped.length < body.length ? gzipped : null);
    }
  }

  /**
   * Sends {@code rendered}: its gzip form to a client that accepts gzip, else the body. Javalin
   * leaves a response that has a {@code Content-Encoding} alone. The access log sees the body
   * before compression, as for the responses Javalin compresses.
   */
  public static void rendered(Context ctx, Rendered rendered) {
    if (rendered.gzipped() == null) {
      bytes(ctx, rendered.contentType(), rendered.body());
      return;
    }
    ctx.header("Vary", "Accept-Encoding");
    if (!acceptsGzip(ctx.header("Accept-Encoding"))) {
      bytes(ctx, rendered.contentType(), rendered.body());
      return;
    }
    ctx.attribute(BODY, rendered.body());
    ctx.contentType(rendered.contentType());
    ctx.header("Content-Encoding", "gzip");
    ctx.result(rendered.gzipped());
  }

  /**
   * Whether {@code acceptEncoding} admits gzip (RFC 9110 §12.5.3): {@code gzip} (or {@code x-gzip})
   * listed without {@code q=0}, or not listed and {@code *} listed without {@code q=0}.
   */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    Boolean wildcard = null;
    for (String item : acceptEncoding.split(",")) {
      String[] parts = item.split(";");
      String coding = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String p = parts[i].replace(" ", "").toLowerCase(Locale.ROOT);
        refused |= p.startsWith("q=") && p.substring(2).matches("0(\\.0{0,3})?");
      }
      if (coding.equals("gzip") || coding.equals("x-gzip")) {
        return !refused;
      }
      if (coding.equals("*")) {
        wildcard = !refused;
      }
    }
    return wildcard != null && wildcard;
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    } catch (IOException e) { // a byte array does not fail
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static void text(Context ctx, String text) {
    bytes(ctx, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A status with an empty body (401, 429, preflights). */
  public static void empty(Context ctx, int status) {
    ctx.status(status);
    ctx.attribute(BODY, new byte[0]);
    ctx.result(new byte[0]);
  }

  static byte[] body(Context ctx) {
    byte[] body = ctx.attribute(BODY);
    return body == null ? new byte[0] : body;
  }

  static Integer resultCode(Context ctx) {
    return ctx.attribute(RESULT_CODE);
  }
}
