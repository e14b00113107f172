package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.bff.client.InteractiveClient;
import com.webook.bff.config.BffConfig;
import com.webook.platform.client.GrpcChannels;
import com.webook.platform.discovery.ServiceDirectory;
import com.webook.platform.discovery.ServiceInstance;
import com.webook.platform.errors.DownstreamException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BFF's calls to interactive-svc through the REAL client channel of the dev profile ({@code
 * clients.interactive} over the platform template, built by {@link GrpcChannels}: service config,
 * retry policy, balancer, deadlines) to two {@link FakeInteractiveSvc} instances on loopback Netty.
 * What the config says about retries is checked by what the instances receive, not by reading the
 * config back: UNAVAILABLE is retried on the other instance for the reads and for the idempotent
 * writes, other failures are not, a slow write is never hedged while a slow read is, and a write
 * that gets no answer ends by its deadline.
 */
class InteractiveChannelTest {
  private static final long ID = 42;
  private static final long UID = 7;

  /** Enough calls that the balancer has sent several to each of two instances. */
  private static final int MAX_CALLS = 200;

  private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
  private FakeInteractiveSvc a;
  private FakeInteractiveSvc b;
  private GrpcChannels channels;
  private InteractiveClient client;

  @BeforeEach
  void start() {
    a = FakeInteractiveSvc.onLoopback();
    b = FakeInteractiveSvc.onLoopback();
    BffConfig config = TestBff.config(Map.of());
    channels =
        new GrpcChannels(
            new StaticDirectory(List.of(endpoint(a), endpoint(b))), config.clients(), List.of());
    ManagedChannel channel = channels.channelFor("interactive");
    client = new InteractiveClient(channel);
    // Connected to both before a test starts: while only one is, every call goes there.
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (a.calls.calls("Get").isEmpty() || b.calls.calls("Get").isEmpty()) {
      assertThat(System.nanoTime()).as("both instances reached").isLessThan(until);
      try {
        call("Get");
      } catch (DownstreamException e) { // still connecting: try again
        sleep(Duration.ofMillis(20));
      }
    }
  }

  @AfterEach
  void stop() {
    if (channels != null) {
      channels.close();
    }
    a.close();
    b.close();
    deliveries.shutdownNow();
  }

  private static ServiceDirectory.Endpoint endpoint(FakeInteractiveSvc svc) {
    String id = "127.0.0.1:" + svc.port();
    return new ServiceDirectory.Endpoint(
        id,
        new ServiceInstance(id, 10, "", "test", 0, Map.of()),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), svc.port()),
        false);
  }

  /** One call of {@code method} as the handlers make it; failures as the handlers see them. */
  private void call(String method) {
    switch (method) {
      case "Like" -> client.like("article", ID, UID);
      case "CancelLike" -> client.cancelLike("article", ID, UID);
      case "Collect" -> client.collect("article", ID, UID, 0);
      case "Get" -> {
        try {
          client.get("article", ID, UID, Duration.ofSeconds(2)).join();
        } catch (CompletionException e) {
          throw (RuntimeException) e.getCause();
        }
      }
      default -> throw new IllegalArgumentException(method);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int calls(FakeInteractiveSvc svc, String method) {
    return svc.calls.calls(method).size();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"Like", "CancelLike", "Collect", "Get"})
  void unavailableIsRetriedOnTheOtherInstance(String method) {
    int onA = calls(a, method); // Get: the warm-up's calls
    int onB = calls(b, method);
    a.calls.failWith(method, Status.UNAVAILABLE.withDescription("shedding"));
    int made = 0;
    // Three failures on a, well below the balancer's five that would eject it.
    while (calls(a, method) - onA < 3) {
      assertThat(made).as("calls before a was tried three times").isLessThan(MAX_CALLS);
      call(method); // throws if the retry did not happen or failed
      made++;
    }
    assertThat(calls(b, method) - onB)
        .as("every call answered by b, those that failed on a included")
        .isEqualTo(made);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"INTERNAL", "DEADLINE_EXCEEDED", "UNKNOWN"})
  void otherFailuresOfAWriteAreNotRetried(String code) {
    a.calls.failWith("Like", Status.fromCode(Status.Code.valueOf(code)));
    int made = 0;
    int failed = 0;
    while (failed == 0) {
      assertThat(made).as("calls before one reached a").isLessThan(MAX_CALLS);
      int onB = calls(b, "Like");
      try {
        call("Like");
      } catch (DownstreamException e) {
        assertThat(e.code()).isEqualTo(Status.Code.valueOf(code));
        assertThat(calls(b, "Like")).as("no second attempt on b").isEqualTo(onB);
        failed++;
      }
      made++;
    }
    assertThat(calls(a, "Like") + calls(b, "Like")).as("one attempt per call").isEqualTo(made);
  }

  @Test
  void aSlowWriteIsNotHedged() {
    // Slower than the template's 50 ms hedging delay, far below the 2 s deadline.
    Duration slow = Duration.ofMillis(300);
    a.calls.delay("Like", slow);
    int made = 0;
    boolean slowOne = false;
    while (!slowOne) {
      assertThat(made).as("calls before one reached a").isLessThan(MAX_CALLS);
      int onA = calls(a, "Like");
      int onB = calls(b, "Like");
      long start = System.nanoTime();
      call("Like");
      long took = System.nanoTime() - start;
      made++;
      if (calls(a, "Like") > onA) {
        slowOne = true;
        assertThat(Duration.ofNanos(took))
            .as("answered by the slow instance")
            .isGreaterThanOrEqualTo(slow);
        assertThat(calls(b, "Like")).as("no hedge sent to b meanwhile").isEqualTo(onB);
      }
    }
  }

  @Test
  void aSlowReadIsHedgedOnTheOtherInstance() {
    Duration slow = Duration.ofMillis(300);
    a.calls.delay("Get", slow);
    int made = 0;
    boolean hedged = false;
    while (!hedged) {
      assertThat(made).as("calls before one reached a").isLessThan(MAX_CALLS);
      int onA = calls(a, "Get");
      int onB = calls(b, "Get");
      call("Get");
      made++;
      if (calls(a, "Get") > onA) {
        hedged = true;
        assertThat(calls(b, "Get") - onB).as("a hedge went to b").isGreaterThanOrEqualTo(1);
      }
    }
  }

  @Test
  void aWriteWithoutAnswerEndsByItsDeadline() {
    a.calls.hold("Collect");
    b.calls.hold("Collect");
    long start = System.nanoTime();
    assertThatThrownBy(() -> call("Collect"))
        .isInstanceOfSatisfying(
            DownstreamException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the template's deadline of 2 s, not forever")
        .isBetween(Duration.ofMillis(1_500), Duration.ofSeconds(10));
  }

  /** A fixed endpoint list, delivered off the caller's thread as the directory contract says. */
  private final class StaticDirectory implements ServiceDirectory {
    private final List<Endpoint> endpoints;

    StaticDirectory(List<Endpoint> endpoints) {
      this.endpoints = List.copyOf(endpoints);
    }

    @Override
    public Subscription subscribe(String service, Consumer<Snapshot> listener) {
      deliveries.execute(() -> listener.accept(new Snapshot(service, endpoints, 0, null)));
      return () -> {};
    }

    @Override
    public void requestRefresh(String service) {}
  }
}
