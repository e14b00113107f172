package com.webook.user.service;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.webook.platform.errors.RateLimitedException;
import com.webook.platform.errors.UnavailableException;
import com.webook.user.domain.CallerDeadline;
import com.webook.user.repository.cache.CodeCache;
import com.webook.user.service.sms.SmsException;
import com.webook.user.service.sms.SmsSender;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodeServiceTest {
  private final CodeCache cache = mock(CodeCache.class);
  private final SmsSender sms = mock(SmsSender.class);
  private final RandomGenerator random = mock(RandomGenerator.class);
  private final CodeService codes =
      new CodeService(cache, new SmsService(sms), "login-code", random);

  @Test
  void storesAZeroPaddedCodeThenSendsItAsTheOnlyTemplateArgument() {
    when(random.nextInt(1_000_000)).thenReturn(42);
    when(cache.store("login", "13800001111", "000042")).thenReturn(CodeCache.StoreResult.STORED);
    CallerDeadline callers = mock(CallerDeadline.class);

    codes.send("login", "13800001111", callers);

    verify(sms).send("login-code", List.of("000042"), List.of("13800001111"), callers);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(
            "too frequent", CodeCache.StoreResult.TOO_FREQUENT, RateLimitedException.class),
        Arguments.of(
            "key without expiry", CodeCache.StoreResult.NO_EXPIRY, IllegalStateException.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void nothingIsSentWhenTheCodeIsNotStored(
      String name, CodeCache.StoreResult result, Class<?> error) {
    when(random.nextInt(1_000_000)).thenReturn(123456);
    when(cache.store(anyString(), anyString(), anyString())).thenReturn(result);

    assertThatThrownBy(() -> codes.send("login", "13800001111", NONE))
        .isInstanceOf(error)
        .message()
        .doesNotContain("123456");
    verifyNoInteractions(sms);
  }

  @Test
  void anUndeliverableCodeIsUnavailable() {
    when(random.nextInt(1_000_000)).thenReturn(999999);
    when(cache.store(anyString(), anyString(), anyString()))
        .thenReturn(CodeCache.StoreResult.STORED);
    when(sms.send(any(), any(), any(), any()))
        .thenThrow(new SmsException(SmsException.Reason.FAILED, "all failed"));

    assertThatThrownBy(() -> codes.send("login", "13800001111", NONE))
        .isInstanceOf(UnavailableException.class)
        .message()
        .doesNotContain("999999");
  }

  static Stream<Arguments> verifications() {
    return Stream.of(
        Arguments.of("correct", CodeCache.VerifyResult.CORRECT, true),
        Arguments.of("wrong", CodeCache.VerifyResult.WRONG, false),
        Arguments.of("locked or used", CodeCache.VerifyResult.LOCKED, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifications")
  void verifyIsYesOrNo(String name, CodeCache.VerifyResult result, boolean answer) {
    when(cache.verify("login", "13800001111", "123456")).thenReturn(result);

    assertThat(codes.verify("login", "13800001111", "123456")).isEqualTo(answer);
  }

  @Test
  void inputsThatCannotBeACodeAreWrongWithoutAskingRedis() {
    assertThat(codes.verify("login", "13800001111", "")).isFalse();
    assertThat(codes.verify("login", "13800001111", "1".repeat(65))).isFalse();
    verifyNoInteractions(cache);
  }

  @Test
  void codesAreSixDigitsFromTheWholeRange() {
    CodeService real =
        new CodeService(cache, new SmsService(sms), "t", new java.security.SecureRandom());
    for (int i = 0; i < 200; i++) {
      assertThat(real.newCode()).matches("\\d{6}");
    }
  }
}
