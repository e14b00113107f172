package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

class LogSmsProviderTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(LogSmsProvider.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  private List<String> lines() {
    return appender.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith("sms."))
        .toList();
  }

  @Test
  void logsOneStableLineAndTellsTheListener() {
    List<String> heard = new ArrayList<>();
    LogSmsProvider provider =
        new LogSmsProvider("log", false, (tpl, args, numbers, line) -> heard.add(line));

    assertThat(provider.send("login-code", List.of("042917"), List.of("13800001111"), NONE))
        .isEqualTo(SmsDelivery.SENT);

    String expected = "sms.delivered provider=log tpl=login-code to=[13800001111] args=[042917]";
    assertThat(lines()).containsExactly(expected);
    assertThat(heard).containsExactly(expected);
  }

  @Test
  void masksNumbersWhenConfigured() {
    new LogSmsProvider("log", true, null)
        .send("t", List.of("a", "b"), List.of("13800001111", "+8613900002222"), NONE);

    assertThat(lines())
        .containsExactly(
            "sms.delivered provider=log tpl=t to=[138****1111, +86*******2222] args=[a, b]");
  }

  @Test
  void warnsThatItIsForDevelopmentOnly() {
    new LogSmsProvider("log", true, null);

    assertThat(appender.list)
        .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("development only"));
  }

  static Stream<Arguments> masks() {
    return Stream.of(
        Arguments.of("mainland mobile", "13800001111", "138****1111"),
        Arguments.of("international", "+8613800001111", "+86*******1111"),
        Arguments.of("eight digits", "12345678", "123*5678"),
        Arguments.of("too short to show anything", "1234567", "*******"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("masks")
  void mask(String name, String number, String masked) {
    assertThat(LogSmsProvider.mask(number)).isEqualTo(masked);
  }
}
