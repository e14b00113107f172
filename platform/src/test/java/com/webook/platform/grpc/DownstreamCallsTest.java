package com.webook.platform.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.DownstreamException;
import com.webook.platform.errors.GrpcErrors;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Status → exception for every status code, and the round trip back through GrpcErrors. */
class DownstreamCallsTest {
  /** Every gRPC status code and what a caller gets for it (SPEC §3 read backwards). */
  private static final Map<Status.Code, Class<? extends RuntimeException>> TABLE =
      Map.ofEntries(
          Map.entry(Status.Code.OK, DownstreamException.class),
          Map.entry(Status.Code.CANCELLED, DownstreamException.class),
          Map.entry(Status.Code.UNKNOWN, DownstreamException.class),
          Map.entry(Status.Code.INVALID_ARGUMENT, InvalidInputException.class),
          Map.entry(Status.Code.DEADLINE_EXCEEDED, DownstreamException.class),
          Map.entry(Status.Code.NOT_FOUND, NotFoundException.class),
          Map.entry(Status.Code.ALREADY_EXISTS, ConflictException.class),
          Map.entry(Status.Code.PERMISSION_DENIED, PermissionDeniedException.class),
          Map.entry(Status.Code.RESOURCE_EXHAUSTED, RateLimitedException.class),
          Map.entry(Status.Code.FAILED_PRECONDITION, DownstreamException.class),
          Map.entry(Status.Code.ABORTED, DownstreamException.class),
          Map.entry(Status.Code.OUT_OF_RANGE, DownstreamException.class),
          Map.entry(Status.Code.UNIMPLEMENTED, DownstreamException.class),
          Map.entry(Status.Code.INTERNAL, DownstreamException.class),
          Map.entry(Status.Code.UNAVAILABLE, DownstreamException.class),
          Map.entry(Status.Code.DATA_LOSS, DownstreamException.class),
          Map.entry(Status.Code.UNAUTHENTICATED, DownstreamException.class));

  static Stream<Arguments> everyCode() {
    return Arrays.stream(Status.Code.values()).map(c -> Arguments.of(c, TABLE.get(c)));
  }

  @Test
  void theTableCoversEveryStatusCode() {
    assertThat(TABLE.keySet()).isEqualTo(EnumSet.allOf(Status.Code.class));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @MethodSource("everyCode")
  void translatesEveryStatusCode(Status.Code code, Class<? extends RuntimeException> expected) {
    StatusRuntimeException thrown =
        Status.fromCode(code).withDescription("title must not be empty").asRuntimeException();

    RuntimeException e = DownstreamCalls.toException("article.Save", thrown);

    assertThat(e).isExactlyInstanceOf(expected).hasCause(thrown);
    if (e instanceof DownstreamException d) {
      assertThat(d.operation()).isEqualTo("article.Save");
      assertThat(d.code()).isEqualTo(code);
      assertThat(d.status().getDescription()).isEqualTo("title must not be empty");
      assertThat(d).hasMessage("article.Save failed: " + code + " title must not be empty");
    } else {
      assertThat(e).as("the downstream's description").hasMessage("title must not be empty");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCode")
  void statusExceptionsOfAsyncStubsTranslateTheSameWay(
      Status.Code code, Class<? extends RuntimeException> expected) {
    StatusException thrown = Status.fromCode(code).asException();

    assertThat(DownstreamCalls.toException("user.Profile", thrown))
        .isExactlyInstanceOf(expected)
        .hasCause(thrown);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCode")
  void withoutADescriptionTheCodeNamesTheProblem(
      Status.Code code, Class<? extends RuntimeException> expected) {
    RuntimeException e =
        DownstreamCalls.toException("user.Profile", Status.fromCode(code).asRuntimeException());

    assertThat(e.getMessage()).contains(code.name());
  }

  /**
   * A service that lets the translated exception escape its handler answers like before the
   * translation: the same code (INTERNAL and UNKNOWN as INTERNAL without detail).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCode")
  void aTranslatedFailurePassesOnAsTheSameStatus(
      Status.Code code, Class<? extends RuntimeException> expected) {
    RuntimeException e =
        DownstreamCalls.toException(
            "user.Profile", Status.fromCode(code).withDescription("d").asRuntimeException());

    Status answered = GrpcErrors.toStatus(e);

    Status.Code same =
        switch (code) {
          case OK, UNKNOWN, INTERNAL -> Status.Code.INTERNAL;
          default -> code;
        };
    assertThat(answered.getCode()).isEqualTo(same);
    assertThat(answered.getDescription())
        .isEqualTo(same == Status.Code.INTERNAL ? "internal error" : "d");
  }

  @Test
  void callReturnsWhatTheStubReturned() {
    assertThat(DownstreamCalls.call("user.Profile", () -> "answer")).isEqualTo("answer");
  }

  @Test
  void callTranslatesWhatTheStubThrew() {
    assertThatThrownBy(
            () ->
                DownstreamCalls.call(
                    "user.Signup",
                    () -> {
                      throw Status.ALREADY_EXISTS.withDescription("dup").asRuntimeException();
                    }))
        .isInstanceOf(ConflictException.class)
        .hasMessage("dup");
  }

  @Test
  void callLeavesOtherExceptionsAlone() {
    IllegalStateException bug = new IllegalStateException("bug");

    assertThatThrownBy(
            () ->
                DownstreamCalls.call(
                    "user.Signup",
                    () -> {
                      throw bug;
                    }))
        .isSameAs(bug);
  }
}
