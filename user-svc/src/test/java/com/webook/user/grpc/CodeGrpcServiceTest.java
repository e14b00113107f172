package com.webook.user.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.VerifyRequest;
import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.service.CodeService;
import com.webook.user.testing.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;

class CodeGrpcServiceTest {
  private final CodeService codes = mock(CodeService.class);
  private final InProcessGrpc grpc = new InProcessGrpc(new CodeGrpcService(codes));
  private final CodeServiceGrpc.CodeServiceBlockingStub stub =
      CodeServiceGrpc.newBlockingStub(grpc.channel());

  @AfterEach
  void close() throws Exception {
    grpc.close();
  }

  static Stream<Arguments> requests() {
    String biz128 = "b".repeat(128);
    return Stream.of(
        Arguments.of("valid", "login", "13800001111", Status.Code.OK),
        Arguments.of("valid, 19x prefix", "login", "19912345678", Status.Code.OK),
        Arguments.of("biz of 128 chars", biz128, "13800001111", Status.Code.OK),
        Arguments.of("empty biz", "", "13800001111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("biz of 129 chars", biz128 + "b", "13800001111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("empty phone", "login", "", Status.Code.INVALID_ARGUMENT),
        Arguments.of("second digit 2", "login", "12800001111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("10 digits", "login", "1380000111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("12 digits", "login", "138000011112", Status.Code.INVALID_ARGUMENT),
        Arguments.of("country code", "login", "+8613800001111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("letter", "login", "1380000111a", Status.Code.INVALID_ARGUMENT),
        Arguments.of("leading space", "login", " 13800001111", Status.Code.INVALID_ARGUMENT),
        Arguments.of("trailing newline", "login", "13800001111\n", Status.Code.INVALID_ARGUMENT));
  }

  @ParameterizedTest(name = "Send: {0}")
  @MethodSource("requests")
  void sendValidatesBizAndPhone(String name, String biz, String phone, Status.Code expected) {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> stub.send(SendRequest.newBuilder().setBiz(biz).setPhone(phone).build()));

    assertThat(e == null ? Status.Code.OK : e.getStatus().getCode()).isEqualTo(expected);
    if (expected == Status.Code.OK) {
      verify(codes).send(eq(biz), eq(phone), any(CallerDeadline.class));
    } else {
      verifyNoInteractions(codes);
    }
  }

  @ParameterizedTest(name = "Verify: {0}")
  @MethodSource("requests")
  void verifyValidatesBizAndPhone(String name, String biz, String phone, Status.Code expected) {
    when(codes.verify(any(), any(), any())).thenReturn(true);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.verify(
                    VerifyRequest.newBuilder()
                        .setBiz(biz)
                        .setPhone(phone)
                        .setInputCode("123456")
                        .build()));

    assertThat(e == null ? Status.Code.OK : e.getStatus().getCode()).isEqualTo(expected);
    if (expected != Status.Code.OK) {
      verifyNoInteractions(codes);
    }
  }

  static Stream<Arguments> sendFailures() {
    return Stream.of(
        Arguments.of(
            "too frequent",
            new RateLimitedException("a code was sent recently"),
            Status.Code.RESOURCE_EXHAUSTED),
        Arguments.of(
            "key without expiry (system error)",
            new IllegalStateException("no expiry"),
            Status.Code.INTERNAL),
        Arguments.of(
            "SMS neither sent nor queued",
            new UnavailableException("sms down"),
            Status.Code.UNAVAILABLE));
  }

  @ParameterizedTest(name = "Send: {0}")
  @MethodSource("sendFailures")
  void sendMapsServiceErrors(String name, RuntimeException thrown, Status.Code expected) {
    doThrow(thrown).when(codes).send(eq("login"), eq("13800001111"), any());

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.send(
                    SendRequest.newBuilder().setBiz("login").setPhone("13800001111").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(expected);
    if (expected == Status.Code.INTERNAL) {
      assertThat(e.getStatus().getDescription())
          .as("no detail on the wire")
          .isEqualTo("internal error");
    }
  }

  @Test
  void verifyAnswersOnlyYesOrNo() {
    when(codes.verify("login", "13800001111", "123456")).thenReturn(true);
    when(codes.verify("login", "13800001111", "000000")).thenReturn(false);

    assertThat(
            stub.verify(
                    VerifyRequest.newBuilder()
                        .setBiz("login")
                        .setPhone("13800001111")
                        .setInputCode("123456")
                        .build())
                .getAnswer())
        .isTrue();
    assertThat(
            stub.verify(
                    VerifyRequest.newBuilder()
                        .setBiz("login")
                        .setPhone("13800001111")
                        .setInputCode("000000")
                        .build())
                .getAnswer())
        .isFalse();
  }

  @Test
  void theCodeIsSentWithinTheCallsDeadline() {
    ArgumentCaptor<CallerDeadline> deadline = ArgumentCaptor.forClass(CallerDeadline.class);

    stub.withDeadlineAfter(10, TimeUnit.MINUTES)
        .send(SendRequest.newBuilder().setBiz("login").setPhone("13800001111").build());

    verify(codes).send(eq("login"), eq("13800001111"), deadline.capture());
    assertThat(deadline.getValue().remaining())
        .hasValueSatisfying(
            left -> assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10)));
  }
}
