package com.webook.user.service.sms;

import static com.webook.user.domain.CallerDeadline.NONE;
import static com.webook.user.repository.dao.jooq.Tables.ASYNC_SMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.webook.testsupport.TestStack;
import com.webook.user.ItStack;
import com.webook.user.config.SmsConfig;
import com.webook.user.config.SmsProviderConfig;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.AsyncSmsStatus;
import com.webook.user.repository.dao.AsyncSmsDao;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider stack built from config against programmable fake HTTP gateways, the real Redis
 * limiter and the real async_sms table (own database): failover, timeout failover, rate limit →
 * queue → worker, down → queue → delivery on recovery, and max_retry.
 */
class SmsProviderGovernanceIT {
  private static final List<String> TO = List.of("13800001111");
  private static final SmsConfig.RateLimit NO_LIMIT =
      new SmsConfig.RateLimit(false, Duration.ofSeconds(1), 1000, true);
  private static final SmsConfig.Failover ROTATE =
      new SmsConfig.Failover(SmsConfig.Strategy.ROTATE, 3);
  private static final SmsConfig.Detector LENIENT = detector(1000);
  private static ItStack stack;

  private final List<FakeSmsGateway> gateways = new ArrayList<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private AsyncSmsDao dao;
  private SmsStack sms;

  @BeforeAll
  static void start() {
    stack = new ItStack("user_sms");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void emptyQueue() {
    dao = new AsyncSmsDao(stack.database().dsl());
    stack.database().dsl().deleteFrom(ASYNC_SMS).execute();
  }

  @AfterEach
  void close() throws Exception {
    if (sms != null) {
      sms.stopWorker();
    }
    scheduler.shutdownNow();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
    if (sms != null) {
      sms.close();
    }
    gateways.forEach(FakeSmsGateway::close);
  }

  /** Down after {@code minRequests} sends with ≥ 50% errors within 2 s. */
  private static SmsConfig.Detector detector(int minRequests) {
    return new SmsConfig.Detector(
        Duration.ofSeconds(2), 10, minRequests, 0.5, 5.0, Duration.ofMillis(500), 10, 1000);
  }

  private static SmsConfig.Async async(
      int maxRetry, Duration initialBackoff, Duration maxBackoff, SmsConfig.Detector detector) {
    return new SmsConfig.Async(
        true,
        maxRetry,
        initialBackoff,
        maxBackoff,
        Duration.ofMillis(100),
        50,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5),
        detector);
  }

  private static final SmsConfig.Async NO_ASYNC =
      new SmsConfig.Async(
          false,
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          10,
          Duration.ofMinutes(1),
          Duration.ofSeconds(1),
          LENIENT);

  private FakeSmsGateway gateway() {
    FakeSmsGateway g = new FakeSmsGateway();
    gateways.add(g);
    return g;
  }

  private static SmsProviderConfig http(String name, FakeSmsGateway g, Duration timeout) {
    return new SmsProviderConfig.Http(
        name, g.endpoint(), "app", "dev-secret", "webook", timeout, "/code", "OK");
  }

  private SmsStack build(
      List<SmsProviderConfig> providers,
      SmsConfig.RateLimit rateLimit,
      SmsConfig.Failover failover,
      SmsConfig.Async async) {
    SmsConfig config = new SmsConfig(false, providers, rateLimit, failover, async);
    sms =
        new SmsStackFactory(Clock.systemUTC(), registry, stack.redis().connection(), dao, null)
            .build(config);
    sms.start(scheduler);
    return sms;
  }

  private List<AsyncSms> rows() {
    return stack
        .database()
        .dsl()
        .select(ASYNC_SMS.ID)
        .from(ASYNC_SMS)
        .orderBy(ASYNC_SMS.ID)
        .fetch(r -> dao.find(r.value1()));
  }

  private static SmsDelivery send(SmsStack s, String token) {
    return s.sender().send("tpl-1", List.of(token), TO, NONE);
  }

  @Test
  void failoverSkipsAFailingProvider() {
    FakeSmsGateway broken = gateway().mode(FakeSmsGateway.Mode.ERROR_500);
    FakeSmsGateway healthy = gateway();
    SmsStack s =
        build(
            List.of(
                http("broken", broken, Duration.ofSeconds(2)),
                http("healthy", healthy, Duration.ofSeconds(2))),
            NO_LIMIT,
            ROTATE,
            NO_ASYNC);

    for (int i = 0; i < 4; i++) {
      assertThat(send(s, "m" + i)).isEqualTo(SmsDelivery.SENT);
    }

    assertThat(healthy.acceptedTokens()).containsExactly("m0", "m1", "m2", "m3");
    assertThat(broken.received()).as("tried first on every other request").hasSize(2);
    assertThat(
            registry
                .get("sms.send")
                .tags("provider", "broken", "outcome", "failed")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void consecutiveTimeoutsSwitchToTheNextProvider() {
    FakeSmsGateway slow = gateway().mode(FakeSmsGateway.Mode.SLOW).slowness(Duration.ofSeconds(5));
    FakeSmsGateway fast = gateway();
    SmsStack s =
        build(
            List.of(
                http("slow", slow, Duration.ofMillis(300)),
                http("fast", fast, Duration.ofSeconds(2))),
            NO_LIMIT,
            new SmsConfig.Failover(SmsConfig.Strategy.TIMEOUT, 2),
            NO_ASYNC);

    for (int i = 0; i < 2; i++) {
      String token = "t" + i;
      assertThatThrownBy(() -> send(s, token))
          .isInstanceOfSatisfying(
              SmsException.class,
              e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.TIMEOUT));
    }
    assertThat(send(s, "t2")).isEqualTo(SmsDelivery.SENT);
    assertThat(send(s, "t3")).isEqualTo(SmsDelivery.SENT);

    assertThat(slow.received()).hasSize(2);
    assertThat(fast.acceptedTokens()).containsExactly("t2", "t3");
    assertThat(registry.counter("sms.failover.switches").count()).isEqualTo(1.0);
  }

  @Test
  void rateLimitedRequestsGoToAsyncSmsAndTheWorkerDeliversThemLater() {
    FakeSmsGateway g = gateway();
    // Unique provider name: the limiter key sms:<name> is shared by everything using this Redis.
    String name = TestStack.unique("gw");
    SmsStack s =
        build(
            List.of(http(name, g, Duration.ofSeconds(2))),
            new SmsConfig.RateLimit(true, Duration.ofSeconds(3), 1, true),
            ROTATE,
            async(5, Duration.ofMillis(200), Duration.ofSeconds(1), LENIENT));

    List<SmsDelivery> results = List.of(send(s, "r1"), send(s, "r2"), send(s, "r3"));

    assertThat(results).containsExactly(SmsDelivery.SENT, SmsDelivery.QUEUED, SmsDelivery.QUEUED);
    assertThat(rows()).extracting(r -> r.message().args().getFirst()).containsExactly("r2", "r3");
    assertThat(rows())
        .allSatisfy(
            r -> {
              assertThat(r.message().tplId()).isEqualTo("tpl-1");
              assertThat(r.message().numbers()).isEqualTo(TO);
              assertThat(r.maxRetry()).isEqualTo(5);
            });
    assertThat(registry.counter("sms.async.accepted", "reason", "rate_limited").count())
        .isEqualTo(2.0);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(rows()).extracting(AsyncSms::status).containsOnly(AsyncSmsStatus.SENT));
    // Each exactly once; the queued ones after the window slid (in either order: a deferred row
    // goes behind the rows that were due before it).
    assertThat(g.acceptedTokens().getFirst()).isEqualTo("r1");
    assertThat(g.acceptedTokens()).containsExactlyInAnyOrder("r1", "r2", "r3");
    assertThat(rows())
        .extracting(AsyncSms::retryCnt)
        .as("waiting for the limiter uses no attempt")
        .containsOnly(0);
  }

  @Test
  void whileTheProviderIsDownRequestsAreQueuedAndDeliveredWhenItRecovers() {
    FakeSmsGateway g = gateway().mode(FakeSmsGateway.Mode.DOWN);
    SmsStack s =
        build(
            List.of(http("flaky", g, Duration.ofSeconds(2))),
            NO_LIMIT,
            ROTATE,
            async(20, Duration.ofSeconds(2), Duration.ofSeconds(2), detector(2)));

    assertThatThrownBy(() -> send(s, "d1"))
        .as("one failure: not yet judged down")
        .isInstanceOfSatisfying(
            SmsException.class, e -> assertThat(e.reason()).isEqualTo(SmsException.Reason.FAILED));
    assertThat(send(s, "d2"))
        .as("the failure that trips the detector is kept")
        .isEqualTo(SmsDelivery.QUEUED);
    assertThat(send(s, "d3")).as("down: stored without a call").isEqualTo(SmsDelivery.QUEUED);
    assertThat(g.received()).extracting(r -> r.args().getFirst()).containsExactly("d1", "d2");
    assertThat(rows()).extracting(r -> r.message().args().getFirst()).containsExactly("d2", "d3");
    assertThat(registry.get("sms.detector.down").gauge().value()).isEqualTo(1.0);

    g.mode(FakeSmsGateway.Mode.OK);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(rows()).extracting(AsyncSms::status).containsOnly(AsyncSmsStatus.SENT));
    assertThat(g.acceptedTokens()).containsExactlyInAnyOrder("d2", "d3");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(send(s, "d4")).isEqualTo(SmsDelivery.SENT));
  }

  @Test
  void retriesStopAtMaxRetryWithStatusFailed() {
    FakeSmsGateway g = gateway().mode(FakeSmsGateway.Mode.ERROR_500);
    SmsStack s =
        build(
            List.of(http("dead", g, Duration.ofSeconds(2))),
            NO_LIMIT,
            ROTATE,
            async(3, Duration.ofMillis(100), Duration.ofMillis(400), detector(1)));

    assertThat(send(s, "x")).isEqualTo(SmsDelivery.QUEUED);

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(rows())
                    .singleElement()
                    .satisfies(
                        r -> {
                          assertThat(r.status()).isEqualTo(AsyncSmsStatus.FAILED);
                          assertThat(r.retryCnt()).isEqualTo(3);
                        }));
    assertThat(g.received())
        .as("the synchronous attempt and max_retry = 3 worker attempts")
        .hasSize(4);
    assertThat(registry.counter("sms.async.worker", "result", "failed").count()).isEqualTo(1.0);
    assertThat(registry.counter("sms.async.worker", "result", "retried").count()).isEqualTo(2.0);
  }
}
