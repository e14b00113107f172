package com.webook.user.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.VerifyRequest;
import com.webook.testsupport.TestStack;
import com.webook.user.ItStack;
import com.webook.user.config.UserConfig;
import com.webook.user.grpc.CodeGrpcService;
import com.webook.user.repository.cache.CodeCache;
import com.webook.user.repository.dao.AsyncSmsDao;
import com.webook.user.service.sms.LogSmsProvider;
import com.webook.user.service.sms.SmsStack;
import com.webook.user.service.sms.SmsStackFactory;
import com.webook.user.testing.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * code.v1.CodeService end to end in process: gRPC mapping, CodeService, the Lua scripts on the real
 * Redis, and the dev SMS stack (log provider) built from dev.yaml. Each test uses its own biz, so
 * its keys are its own.
 */
class CodeServiceIT {
  private static final String PHONE = "13800001111";
  private static ItStack stack;

  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private SmsStack sms;
  private InProcessGrpc grpc;
  private CodeServiceGrpc.CodeServiceBlockingStub codes;
  private RedisCommands<String, String> redis;
  private String biz;

  @BeforeAll
  static void start() {
    stack = new ItStack("user_code");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void wire() {
    logs.start();
    root.addAppender(logs);
    UserConfig config = ItStack.devConfig();
    LogSmsProvider.DeliveryListener listener = (tpl, args, numbers, line) -> delivered.add(line);
    sms =
        new SmsStackFactory(
                Clock.systemUTC(),
                new SimpleMeterRegistry(),
                stack.redis().connection(),
                new AsyncSmsDao(stack.database().dsl()),
                listener)
            .build(config.sms());
    CodeService service =
        new CodeService(
            new CodeCache(stack.redis().connection(), config.code()),
            new SmsService(sms.sender()),
            config.code().templateId(),
            new SecureRandom());
    grpc = new InProcessGrpc(new CodeGrpcService(service));
    codes = CodeServiceGrpc.newBlockingStub(grpc.channel());
    redis = stack.redis().connection().sync();
    biz = TestStack.unique("login");
  }

  @AfterEach
  void unwire() throws Exception {
    grpc.close();
    sms.close();
    root.detachAppender(logs);
  }

  private String key() {
    return "phone_code:" + biz + ":" + PHONE;
  }

  private void send() {
    codes.send(SendRequest.newBuilder().setBiz(biz).setPhone(PHONE).build());
  }

  private boolean verify(String input) {
    return codes
        .verify(VerifyRequest.newBuilder().setBiz(biz).setPhone(PHONE).setInputCode(input).build())
        .getAnswer();
  }

  private static String wrong(String code) {
    return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
  }

  @Test
  void sendStoresASixDigitCodeForTenMinutesWithThreeAttemptsAndDeliversItThroughTheLogProvider() {
    send();

    String code = redis.get(key());
    assertThat(code).matches("\\d{6}");
    assertThat(redis.ttl(key())).isBetween(590L, 600L);
    assertThat(redis.get(key() + ":cnt")).isEqualTo("3");
    assertThat(redis.ttl(key() + ":cnt")).isBetween(590L, 600L);

    String line =
        "sms.delivered provider=log tpl=login-code to=[" + PHONE + "] args=[" + code + "]";
    assertThat(delivered).containsExactly(line);
    List<ILoggingEvent> withCode =
        logs.list.stream().filter(e -> e.getFormattedMessage().contains(code)).toList();
    assertThat(withCode)
        .as("the code is in the log exactly once: the log provider's delivery line")
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLoggerName()).isEqualTo(LogSmsProvider.class.getName());
              assertThat(e.getFormattedMessage()).isEqualTo(line);
            });
  }

  @Test
  void aSecondSendWithinSixtySecondsIsTooFrequentAndKeepsTheFirstCode() {
    send();
    String first = redis.get(key());

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, this::send);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(redis.get(key())).isEqualTo(first);
    assertThat(delivered).hasSize(1);
  }

  @Test
  void sixtySecondsAfterTheLastSendANewCodeReplacesTheOld() {
    send();
    redis.expire(key(), 539);

    send();

    assertThat(redis.ttl(key())).isBetween(590L, 600L);
    assertThat(redis.get(key() + ":cnt")).isEqualTo("3");
    assertThat(delivered).hasSize(2);
    assertThat(delivered.get(1)).endsWith("args=[" + redis.get(key()) + "]");
  }

  @Test
  void threeWrongCodesLockItEvenForTheRightOne() {
    send();
    String code = redis.get(key());

    for (int i = 0; i < 3; i++) {
      assertThat(verify(wrong(code))).isFalse();
    }
    assertThat(redis.get(key() + ":cnt")).isEqualTo("0");

    assertThat(verify(code)).as("no attempts left").isFalse();
  }

  @Test
  void theRightCodeWorksOnceAndIsBurnt() {
    send();
    String code = redis.get(key());
    assertThat(verify(wrong(code))).isFalse();

    assertThat(verify(code)).isTrue();
    assertThat(verify(code)).as("already used").isFalse();
    assertThat(redis.get(key() + ":cnt")).isEqualTo("-1");
    assertThat(redis.ttl(key() + ":cnt")).as("burning keeps the TTL").isBetween(1L, 600L);
  }

  @Test
  void verifyingWithoutASentCodeFails() {
    assertThat(verify("123456")).isFalse();
  }

  @Test
  void concurrentSendsForOnePhoneStoreOneCodeAndSendOneSms() throws Exception {
    int callers = 40;
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<Status.Code>> calls = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      calls.add(
          () -> {
            go.await();
            try {
              send();
              return Status.Code.OK;
            } catch (StatusRuntimeException e) {
              return e.getStatus().getCode();
            }
          });
    }
    List<Status.Code> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(callers)) {
      List<Future<Status.Code>> futures = calls.stream().map(pool::submit).toList();
      go.countDown();
      for (Future<Status.Code> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
    }

    assertThat(results).filteredOn(c -> c == Status.Code.OK).hasSize(1);
    assertThat(results).filteredOn(c -> c == Status.Code.RESOURCE_EXHAUSTED).hasSize(callers - 1);
    assertThat(delivered).as("exactly one SMS").hasSize(1);
    assertThat(delivered.getFirst()).endsWith("args=[" + redis.get(key()) + "]");
  }

  @Test
  void aCodeKeyWithoutExpiryIsASystemError() {
    redis.set(key(), "123456");

    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, this::send);

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
    assertThat(delivered).isEmpty();
    assertThat(redis.get(key())).as("left for an operator to inspect").isEqualTo("123456");
  }
}
