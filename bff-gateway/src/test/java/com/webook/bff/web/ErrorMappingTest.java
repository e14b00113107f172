package com.webook.bff.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.bff.jwt.Rejection;
import com.webook.bff.jwt.TokenRejectedException;
import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.DownstreamException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.grpc.DownstreamCalls;
import io.grpc.Status;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.TooManyRequestsResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one exception → HTTP mapping, and the one gRPC status → exception translation. */
class ErrorMappingTest {
  private static final Json JSON = new Json();

  static Stream<Arguments> exceptions() {
    Status unavailable = Status.UNAVAILABLE.withDescription("connection refused to 10.0.0.3:8091");
    return Stream.of(
        Arguments.of(
            "unparseable body",
            new BadRequestBodyException("x", null),
            SystemError.USER,
            400,
            "{\"code\":4,\"msg\":\"请求格式错误\",\"data\":null}"),
        Arguments.of(
            "rejected token",
            new TokenRejectedException(Rejection.EXPIRED),
            SystemError.USER,
            401,
            null),
        Arguments.of(
            "body too large",
            new ContentTooLargeResponse(),
            SystemError.GENERIC,
            413,
            "{\"code\":4,\"msg\":\"请求体过大\",\"data\":null}"),
        Arguments.of("rate limited", new TooManyRequestsResponse(), SystemError.GENERIC, 429, null),
        Arguments.of("no such route", new NotFoundResponse(), SystemError.GENERIC, 404, null),
        Arguments.of(
            "downstream unavailable, user route",
            new DownstreamException("user.Login", unavailable, null),
            SystemError.USER,
            200,
            "{\"code\":501001,\"msg\":\"系统错误\",\"data\":null}"),
        Arguments.of(
            "downstream unavailable, generic route",
            new DownstreamException("code.Send", unavailable, null),
            SystemError.GENERIC,
            200,
            "{\"code\":5,\"msg\":\"系统错误\",\"data\":null}"),
        Arguments.of(
            "downstream unavailable, article route",
            new DownstreamException("article.Save", unavailable, null),
            SystemError.ARTICLE,
            200,
            "{\"code\":502001,\"msg\":\"系统错误\",\"data\":null}"),
        Arguments.of(
            "domain error the route gives no meaning",
            new PermissionDeniedException("no"),
            SystemError.USER,
            200,
            "{\"code\":501001,\"msg\":\"系统错误\",\"data\":null}"),
        Arguments.of(
            "a bug",
            new NullPointerException("secret detail"),
            SystemError.GENERIC,
            200,
            "{\"code\":5,\"msg\":\"系统错误\",\"data\":null}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exceptions")
  void mapsEachFailureOnce(
      String name, Exception error, SystemError systemError, int status, String body) {
    ErrorMapping.Reply reply = ErrorMapping.map(error, systemError);
    assertThat(reply.status()).isEqualTo(status);
    assertThat(
            reply.body() == null
                ? null
                : new String(JSON.bytes(reply.body()), StandardCharsets.UTF_8))
        .isEqualTo(body);
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(Status.Code.INVALID_ARGUMENT, InvalidInputException.class),
        Arguments.of(Status.Code.NOT_FOUND, NotFoundException.class),
        Arguments.of(Status.Code.ALREADY_EXISTS, ConflictException.class),
        Arguments.of(Status.Code.PERMISSION_DENIED, PermissionDeniedException.class),
        Arguments.of(Status.Code.RESOURCE_EXHAUSTED, RateLimitedException.class),
        Arguments.of(Status.Code.UNAVAILABLE, DownstreamException.class),
        Arguments.of(Status.Code.DEADLINE_EXCEEDED, DownstreamException.class),
        Arguments.of(Status.Code.INTERNAL, DownstreamException.class),
        Arguments.of(Status.Code.UNKNOWN, DownstreamException.class),
        Arguments.of(Status.Code.CANCELLED, DownstreamException.class),
        Arguments.of(Status.Code.UNAUTHENTICATED, DownstreamException.class),
        Arguments.of(Status.Code.UNIMPLEMENTED, DownstreamException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("statuses")
  void translatesEveryStatus(Status.Code code, Class<? extends RuntimeException> expected) {
    RuntimeException e =
        DownstreamCalls.toException(
            "user.Login", Status.fromCode(code).withDescription("d").asRuntimeException());
    assertThat(e).isInstanceOf(expected);
    if (e instanceof DownstreamException d) {
      assertThat(d.code()).isEqualTo(code);
      assertThat(d.operation()).isEqualTo("user.Login");
    }
  }

  static Stream<Arguments> outcomes() {
    return Stream.of(
        Arguments.of("OK envelope", 200, 0, "success"),
        Arguments.of("bare object", 200, null, "success"),
        Arguments.of("generic bad input", 200, 4, "client_error"),
        Arguments.of("user module bad input", 200, 401002, "client_error"),
        Arguments.of("generic system error", 200, 5, "server_error"),
        Arguments.of("user module system error", 200, 501001, "server_error"),
        Arguments.of("article module bad input", 200, 402001, "client_error"),
        Arguments.of("article module system error", 200, 502001, "server_error"),
        Arguments.of("unauthorized", 401, null, "client_error"),
        Arguments.of("rate limited", 429, null, "client_error"),
        Arguments.of("server failure", 500, null, "server_error"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("outcomes")
  void metricsOutcome(String name, int status, Integer code, String outcome) {
    assertThat(HttpMetrics.outcome(status, code)).isEqualTo(outcome);
  }
}
