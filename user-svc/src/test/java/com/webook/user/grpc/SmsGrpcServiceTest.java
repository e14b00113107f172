package com.webook.user.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.webook.api.sms.v1.SendRequest;
import com.webook.api.sms.v1.SmsServiceGrpc;
import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.service.SmsService;
import com.webook.user.service.sms.SmsDelivery;
import com.webook.user.testing.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmsGrpcServiceTest {
  private static final List<String> ONE = List.of("13800001111");

  private final SmsService sms = mock(SmsService.class);
  private final InProcessGrpc grpc = new InProcessGrpc(new SmsGrpcService(sms));
  private final SmsServiceGrpc.SmsServiceBlockingStub stub =
      SmsServiceGrpc.newBlockingStub(grpc.channel());

  @AfterEach
  void close() throws Exception {
    grpc.close();
  }

  private static List<String> numbers(int n) {
    return IntStream.range(0, n).mapToObj(i -> "138" + String.format("%08d", i)).toList();
  }

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("valid", "tpl-1", List.of("123456"), ONE, Status.Code.OK),
        Arguments.of("no args", "tpl-1", List.of(), ONE, Status.Code.OK),
        Arguments.of("20 args", "tpl-1", Collections.nCopies(20, "a"), ONE, Status.Code.OK),
        Arguments.of("100 numbers", "tpl-1", List.of(), numbers(100), Status.Code.OK),
        Arguments.of(
            "international number", "tpl-1", List.of(), List.of("+8613800001111"), Status.Code.OK),
        Arguments.of("tplId of 128 chars", "t".repeat(128), List.of(), ONE, Status.Code.OK),
        Arguments.of("arg of 256 chars", "tpl-1", List.of("a".repeat(256)), ONE, Status.Code.OK),
        Arguments.of("empty tplId", "", List.of(), ONE, Status.Code.INVALID_ARGUMENT),
        Arguments.of("blank tplId", "  ", List.of(), ONE, Status.Code.INVALID_ARGUMENT),
        Arguments.of(
            "tplId of 129 chars", "t".repeat(129), List.of(), ONE, Status.Code.INVALID_ARGUMENT),
        Arguments.of("no numbers", "tpl-1", List.of(), List.of(), Status.Code.INVALID_ARGUMENT),
        Arguments.of("101 numbers", "tpl-1", List.of(), numbers(101), Status.Code.INVALID_ARGUMENT),
        Arguments.of("empty number", "tpl-1", List.of(), List.of(""), Status.Code.INVALID_ARGUMENT),
        Arguments.of(
            "number with letters",
            "tpl-1",
            List.of(),
            List.of("1380000abcd"),
            Status.Code.INVALID_ARGUMENT),
        Arguments.of(
            "21 args", "tpl-1", Collections.nCopies(21, "a"), ONE, Status.Code.INVALID_ARGUMENT),
        Arguments.of(
            "arg of 257 chars",
            "tpl-1",
            List.of("a".repeat(257)),
            ONE,
            Status.Code.INVALID_ARGUMENT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void validatesTheRequest(
      String name, String tplId, List<String> args, List<String> numbers, Status.Code expected) {
    when(sms.send(any(), any(), any(), any())).thenReturn(SmsDelivery.SENT);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.send(
                    SendRequest.newBuilder()
                        .setTplId(tplId)
                        .addAllArgs(args)
                        .addAllNumbers(numbers)
                        .build()));

    assertThat(e == null ? Status.Code.OK : e.getStatus().getCode()).isEqualTo(expected);
    if (expected == Status.Code.OK) {
      verify(sms).send(eq(tplId), eq(args), eq(numbers), any(CallerDeadline.class));
    } else {
      verifyNoInteractions(sms);
    }
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(
            "rate limited (sync-to-async off)",
            new RateLimitedException("limit"),
            Status.Code.RESOURCE_EXHAUSTED),
        Arguments.of(
            "neither sent nor queued", new UnavailableException("down"), Status.Code.UNAVAILABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void mapsServiceErrors(String name, RuntimeException thrown, Status.Code expected) {
    when(sms.send(any(), any(), any(), any())).thenThrow(thrown);

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                stub.send(
                    SendRequest.newBuilder().setTplId("t").addNumbers("13800001111").build()));

    assertThat(e.getStatus().getCode()).isEqualTo(expected);
  }

  @Test
  void theProvidersGetTheCallsDeadline() {
    List<CallerDeadline> deadlines = new CopyOnWriteArrayList<>();
    List<Boolean> gaveUpWhileServed = new CopyOnWriteArrayList<>();
    when(sms.send(any(), any(), any(), any()))
        .thenAnswer(
            call -> {
              CallerDeadline d = call.getArgument(3);
              deadlines.add(d);
              gaveUpWhileServed.add(d.gaveUp());
              return SmsDelivery.SENT;
            });

    stub.withDeadlineAfter(10, TimeUnit.MINUTES)
        .send(SendRequest.newBuilder().setTplId("t").addNumbers("13800001111").build());
    stub.send(SendRequest.newBuilder().setTplId("t").addNumbers("13800001111").build());

    assertThat(deadlines.get(0).remaining())
        .hasValueSatisfying(
            left -> assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10)));
    assertThat(deadlines.get(1).remaining()).as("no deadline set").isEmpty();
    assertThat(gaveUpWhileServed).containsExactly(false, false);
  }
}
