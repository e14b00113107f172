package com.webook.user.service;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.service.sms.SmsDelivery;
import com.webook.user.service.sms.SmsException;
import com.webook.user.service.sms.SmsSender;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SmsServiceTest {
  private final SmsSender stack = mock(SmsSender.class);
  private final SmsService service = new SmsService(stack);

  @Test
  void sentAndQueuedAreBothSuccess() {
    when(stack.send(any(), any(), any(), any())).thenReturn(SmsDelivery.SENT, SmsDelivery.QUEUED);

    assertThat(service.send("t", List.of(), List.of("1"), NONE)).isEqualTo(SmsDelivery.SENT);
    assertThat(service.send("t", List.of(), List.of("1"), NONE)).isEqualTo(SmsDelivery.QUEUED);
  }

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(SmsException.Reason.RATE_LIMITED, RateLimitedException.class),
        Arguments.of(SmsException.Reason.FAILED, UnavailableException.class),
        Arguments.of(SmsException.Reason.TIMEOUT, UnavailableException.class),
        Arguments.of(SmsException.Reason.CANCELLED, SmsException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failures")
  void failuresBecomeDomainErrors(SmsException.Reason reason, Class<?> error) {
    when(stack.send(any(), any(), any(), any()))
        .thenThrow(new SmsException(reason, "provider detail"));

    assertThatThrownBy(() -> service.send("t", List.of(), List.of("1"), NONE)).isInstanceOf(error);
  }
}
