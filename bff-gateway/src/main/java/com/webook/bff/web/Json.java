package com.webook.bff.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON in and out of handlers. Reading is strict where the Go original was (a number where a string
 * belongs is a bad request, so is trailing garbage) and lenient where clients need it (unknown
 * fields are ignored). Thread-safe.
 */
public final class Json {
  static final String REQUEST_BODY = "bff.requestBody";

  private final ObjectMapper mapper;

  public Json() {
    JsonMapper m =
        JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    for (CoercionInputShape shape :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    this.mapper = m;
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * The request body as {@code type}. An empty, unparseable or {@code null} body throws {@link
   * BadRequestBodyException}; a body over {@code http.maxRequestBytes} throws Javalin's 413.
   */
  public <T> T read(Context ctx, Class<T> type) {
    byte[] body = ctx.bodyAsBytes();
    ctx.attribute(REQUEST_BODY, body);
    if (body.length == 0) {
      throw new BadRequestBodyException("empty body", null);
    }
    T value;
    try {
      value = mapper.readValue(body, type);
    } catch (IOException e) {
      throw new BadRequestBodyException(
          "not a " + type.getSimpleName() + ": " + e.getClass().getSimpleName(), e);
    }
    if (value == null) {
      throw new BadRequestBodyException("null body", null);
    }
    return value;
  }

  /** Writes {@code body} as JSON with the current status (200 unless set). */
  public void write(Context ctx, Object body) {
    if (body instanceof Result r) {
      ctx.attribute(Responses.RESULT_CODE, r.code());
    }
    Responses.bytes(ctx, "application/json; charset=utf-8", bytes(body));
  }

  public byte[] bytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
