package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static com.webook.user.service.sms.ScriptedSmsSender.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.user.config.SmsConfig;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.domain.SmsMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AsyncSmsWorkerTest {
  /**
   * A detector that needs 100 requests: the providers are never judged down unless a test says so.
   */
  private static final SmsConfig.Detector LENIENT = detector(100);

  private static SmsConfig.Detector detector(int minRequests) {
    return new SmsConfig.Detector(
        Duration.ofSeconds(10), 10, minRequests, 0.5, 5.0, Duration.ofMillis(100), 3, 10);
  }

  /** 3 attempts, backoff 1 s doubling up to 3 s, batches of 2, reclaim after 60 s. */
  private static SmsConfig.Async async(SmsConfig.Detector detector) {
    return new SmsConfig.Async(
        true,
        3,
        Duration.ofSeconds(1),
        Duration.ofSeconds(3),
        Duration.ofMillis(50),
        2,
        Duration.ofSeconds(60),
        Duration.ofSeconds(5),
        detector);
  }

  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScriptedSmsSender provider = new ScriptedSmsSender("p");
  private final InMemoryAsyncSmsRepository queue = new InMemoryAsyncSmsRepository();
  private ProviderDownDetector detector;
  private AsyncSmsWorker worker;

  private AsyncSmsWorker worker(SmsConfig.Detector detectorConfig, Clock time) {
    detector = new ProviderDownDetector(detectorConfig, time, registry);
    worker =
        new AsyncSmsWorker(
            queue,
            new HealthReportingSmsSender(provider, detector),
            detector,
            async(detectorConfig),
            time,
            registry);
    return worker;
  }

  private long enqueue(String arg) {
    return queue.insert(
        new SmsMessage("tpl", List.of(arg), List.of("13800001111")),
        3,
        clock.millis(),
        clock.millis());
  }

  private AsyncSms row(long id) {
    return queue.find(id);
  }

  private double result(String result) {
    return registry.counter("sms.async.worker", "result", result).count();
  }

  @Test
  void aDueRowIsSentAndMarkedSent() {
    worker(LENIENT, clock);
    long id = enqueue("a");

    worker.poll();

    assertThat(provider.calls())
        .containsExactly(new ScriptedSmsSender.Call("tpl", List.of("a"), List.of("13800001111")));
    assertThat(provider.deadlines()).as("nobody waits for a queued message").containsExactly(NONE);
    assertThat(row(id).status()).isEqualTo(AsyncSmsStatus.SENT);
    assertThat(row(id).retryCnt()).isZero();
    assertThat(result("sent")).isEqualTo(1.0);
  }

  @Test
  void aRowThatIsNotDueWaits() {
    worker(LENIENT, clock);
    long id =
        queue.insert(
            new SmsMessage("tpl", List.of("a"), List.of("13800001111")),
            3,
            clock.millis() + 1,
            clock.millis());

    worker.poll();

    assertThat(provider.callCount()).isZero();
    assertThat(row(id).status()).isEqualTo(AsyncSmsStatus.WAITING);
  }

  @Test
  void failuresAreRetriedWithExponentialBackoffUntilMaxRetryThenFailed() {
    worker(LENIENT, clock);
    provider.always(fail(SmsException.Reason.FAILED));
    long id = enqueue("a");
    long t0 = clock.millis();

    worker.poll();
    assertThat(row(id))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(r.retryCnt()).isEqualTo(1);
              assertThat(r.nextRetryAt()).isEqualTo(t0 + 1000);
            });

    worker.poll();
    assertThat(provider.callCount()).as("not due yet").isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    worker.poll();
    assertThat(row(id).retryCnt()).isEqualTo(2);
    assertThat(row(id).nextRetryAt()).as("doubled").isEqualTo(clock.millis() + 2000);

    clock.advance(Duration.ofSeconds(2));
    worker.poll();
    assertThat(row(id))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.FAILED);
              assertThat(r.retryCnt()).isEqualTo(3);
            });

    clock.advance(Duration.ofHours(1));
    worker.poll();
    assertThat(provider.callCount()).as("max_retry = 3 attempts, then no more").isEqualTo(3);
    assertThat(result("retried")).isEqualTo(2.0);
    assertThat(result("failed")).isEqualTo(1.0);
  }

  @Test
  void theMaxRetryStoredInTheRowWinsOverTheCurrentConfig() {
    worker(LENIENT, clock);
    provider.always(fail(SmsException.Reason.FAILED));
    long id =
        queue.insert(
            new SmsMessage("tpl", List.of("a"), List.of("13800001111")),
            1,
            clock.millis(),
            clock.millis());

    worker.poll();

    assertThat(row(id).status()).isEqualTo(AsyncSmsStatus.FAILED);
    assertThat(row(id).retryCnt()).isEqualTo(1);
  }

  static Stream<Arguments> backoffs() {
    return Stream.of(
        Arguments.of("first failure", 1, 1000),
        Arguments.of("second failure doubles", 2, 2000),
        Arguments.of("third failure is capped", 3, 3000),
        Arguments.of("far beyond, no overflow", 500, 3000));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backoffs")
  void backoffDoublesUpToTheCap(String name, int attempts, long expectedMillis) {
    assertThat(AsyncSmsWorker.backoff(attempts, Duration.ofSeconds(1), Duration.ofSeconds(3)))
        .isEqualTo(Duration.ofMillis(expectedMillis));
  }

  @Test
  void aRateLimitedRowWaitsWithoutUsingAnAttemptAndTheBatchEnds() {
    worker(LENIENT, clock);
    provider.always(fail(SmsException.Reason.RATE_LIMITED));
    long first = enqueue("a");
    long second = enqueue("b");

    worker.poll();

    assertThat(provider.callCount())
        .as("the limiter is full: no point trying the next row")
        .isEqualTo(1);
    assertThat(row(first))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(r.retryCnt()).isZero();
              assertThat(r.nextRetryAt()).isEqualTo(clock.millis() + 1000);
            });
    assertThat(row(second).status()).isEqualTo(AsyncSmsStatus.WAITING);
    assertThat(result("deferred")).isEqualTo(1.0);
  }

  @Test
  void whileHealthyOneFailureDoesNotStopTheBatch() {
    worker(LENIENT, clock);
    provider.then(fail(SmsException.Reason.FAILED), ScriptedSmsSender.ok());
    long first = enqueue("a");
    long second = enqueue("b");

    worker.poll();

    assertThat(row(first).status()).isEqualTo(AsyncSmsStatus.WAITING);
    assertThat(row(second).status()).isEqualTo(AsyncSmsStatus.SENT);
  }

  @Test
  void aFailureWhileTheProvidersAreJudgedDownEndsTheBatch() {
    worker(detector(1), clock);
    provider.always(fail(SmsException.Reason.TIMEOUT));
    enqueue("a");
    long second = enqueue("b");

    worker.poll();

    assertThat(provider.callCount()).as("one probe per poll while down").isEqualTo(1);
    assertThat(row(second).status()).isEqualTo(AsyncSmsStatus.WAITING);
    assertThat(row(second).retryCnt()).isZero();
  }

  @Test
  void aFullBatchIsFollowedByTheNextInTheSamePoll() {
    worker(LENIENT, clock);
    for (int i = 0; i < 5; i++) {
      enqueue("m" + i);
    }

    worker.poll();

    assertThat(queue.all()).extracting(AsyncSms::status).containsOnly(AsyncSmsStatus.SENT);
    assertThat(provider.callCount()).isEqualTo(5);
  }

  @Test
  void rowsLeftSendingByADeadProcessAreReclaimedAndSent() {
    worker(LENIENT, clock);
    long now = clock.millis();
    SmsMessage m = new SmsMessage("tpl", List.of("stuck"), List.of("13800001111"));
    queue.put(
        new AsyncSms(
            10, m, AsyncSmsStatus.SENDING, 1, 3, now - 70_000, now - 70_000, now - 61_000));
    queue.put(
        new AsyncSms(
            11, m, AsyncSmsStatus.SENDING, 0, 3, now - 20_000, now - 20_000, now - 10_000));

    worker.poll();

    assertThat(row(10).status()).isEqualTo(AsyncSmsStatus.SENT);
    assertThat(row(10).retryCnt()).as("a reclaim is not a failed attempt").isEqualTo(1);
    assertThat(row(11).status())
        .as("claimed 10 s ago: its sender may still be working")
        .isEqualTo(AsyncSmsStatus.SENDING);
    assertThat(provider.callCount()).isEqualTo(1);
    assertThat(result("reclaimed")).isEqualTo(1.0);
  }

  @Test
  void aRowAnotherWorkerClaimedFirstIsNotSentAgain() {
    worker(LENIENT, clock);
    long id = enqueue("a");
    queue.otherWorkerClaimsFirst(true);

    worker.poll();

    assertThat(provider.callCount()).isZero();
    assertThat(row(id).status()).as("still the other worker's").isEqualTo(AsyncSmsStatus.SENDING);
  }

  @Test
  void aCancelledSendPutsTheRowBackDueAtOnceWithoutUsingAnAttempt() {
    worker(LENIENT, clock);
    provider.always(fail(SmsException.Reason.CANCELLED));
    long id = enqueue("a");
    enqueue("b");

    worker.poll();

    assertThat(row(id))
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(AsyncSmsStatus.WAITING);
              assertThat(r.retryCnt()).isZero();
              assertThat(r.nextRetryAt()).isEqualTo(clock.millis());
            });
    assertThat(provider.callCount()).as("stopping: the batch ends").isEqualTo(1);
  }

  @Test
  void anUnexpectedProviderErrorUsesAnAttempt() {
    worker(LENIENT, clock);
    provider.always(
        () -> {
          throw new IllegalStateException("bug");
        });
    long id = enqueue("a");

    worker.poll();

    assertThat(row(id).status()).isEqualTo(AsyncSmsStatus.WAITING);
    assertThat(row(id).retryCnt()).isEqualTo(1);
  }

  @Test
  void aFailingPollIsCountedAndTheNextPollWorks() {
    worker(LENIENT, clock);
    long id = enqueue("a");
    queue.failReads(true);

    worker.poll();
    assertThat(registry.counter("sms.async.worker.errors").count()).isEqualTo(1.0);
    assertThat(provider.callCount()).isZero();

    queue.failReads(false);
    worker.poll();
    assertThat(row(id).status()).isEqualTo(AsyncSmsStatus.SENT);
  }

  @Test
  void startedOnASchedulerItDeliversUntilClosed() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      worker(LENIENT, Clock.systemUTC());
      long id = queue.insert(new SmsMessage("tpl", List.of("a"), List.of("13800001111")), 3, 0, 0);
      worker.start(scheduler);

      await().atMost(Duration.ofSeconds(20)).until(() -> row(id).status() == AsyncSmsStatus.SENT);

      worker.close();
      scheduler.shutdown();
      assertThat(scheduler.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
      assertThat(provider.callCount()).as("sent once").isEqualTo(1);
    } finally {
      scheduler.shutdownNow();
    }
  }
}
