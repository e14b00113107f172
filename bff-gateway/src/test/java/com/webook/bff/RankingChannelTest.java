package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.api.article.v1.Article;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.bff.client.RankingClient;
import com.webook.bff.config.BffConfig;
import com.webook.platform.client.GrpcChannels;
import com.webook.platform.discovery.ServiceDirectory;
import com.webook.platform.discovery.ServiceInstance;
import com.webook.platform.errors.DownstreamException;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hot list's TopN through the REAL client channel of the dev profile ({@code clients.ranking}
 * over the platform template, built by {@link GrpcChannels}) to two {@link FakeRankingSvc} on
 * loopback Netty: checked by what the instances receive, not by reading the config back.
 * UNAVAILABLE is retried on the other instance, a hung instance costs a hedge (not the deadline),
 * INTERNAL is not retried, and a call nobody answers ends by the template's 2 s deadline.
 */
class RankingChannelTest {
  private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
  private FakeRankingSvc a;
  private FakeRankingSvc b;
  private GrpcChannels channels;
  private RankingClient client;

  @BeforeEach
  void start() {
    a = FakeRankingSvc.onLoopback();
    b = FakeRankingSvc.onLoopback();
    TopNResponse list =
        TopNResponse.newBuilder().addArticles(Article.newBuilder().setId(1).setTitle("t")).build();
    a.topN(list);
    b.topN(list);
    BffConfig config = TestBff.config(Map.of());
    channels =
        new GrpcChannels(
            new StaticDirectory(List.of(endpoint(a), endpoint(b))), config.clients(), List.of());
    client = new RankingClient(channels.channelFor("ranking"));
    // Connected to both before a test starts: while only one is, every call goes there.
    long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (calls(a) == 0 || calls(b) == 0) {
      assertThat(System.nanoTime()).as("both instances reached").isLessThan(until);
      try {
        client.topN();
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

  private static int calls(FakeRankingSvc svc) {
    return svc.calls.calls("TopN").size();
  }

  private static ServiceDirectory.Endpoint endpoint(FakeRankingSvc svc) {
    String id = "127.0.0.1:" + svc.port();
    return new ServiceDirectory.Endpoint(
        id,
        new ServiceInstance(id, 10, "", "test", 0, Map.of()),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), svc.port()),
        false);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void unavailableIsRetriedOnTheOtherInstance() {
    int onA = calls(a);
    a.calls.failWith("TopN", Status.UNAVAILABLE.withDescription("shedding"));
    int made = 0;
    while (calls(a) - onA < 3) { // below the balancer's five that would eject a
      assertThat(made).as("calls before a was tried three times").isLessThan(200);
      assertThat(client.topN()).hasSize(1); // throws if the retry did not happen
      made++;
    }
  }

  @Test
  void aHungInstanceCostsAHedgeNotTheDeadline() {
    a.calls.hold("TopN");
    int made = 0;
    int onA = calls(a);
    while (calls(a) - onA < 3) {
      assertThat(made).as("calls before a was tried three times").isLessThan(200);
      long started = System.nanoTime();
      assertThat(client.topN()).hasSize(1);
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("answered by the hedge on b, well before the 2 s deadline")
          .isLessThan(Duration.ofMillis(1500));
      made++;
    }
  }

  @Test
  void internalIsNotRetried() {
    a.calls.failWith("TopN", Status.INTERNAL);
    b.calls.failWith("TopN", Status.INTERNAL);
    int before = calls(a) + calls(b);
    assertThatThrownBy(client::topN).isInstanceOf(DownstreamException.class);
    assertThat(calls(a) + calls(b) - before).as("one attempt").isEqualTo(1);
  }

  @Test
  void aCallNobodyAnswersEndsByTheDeadline() {
    a.calls.hold("TopN");
    b.calls.hold("TopN");
    long started = System.nanoTime();
    assertThatThrownBy(client::topN)
        .isInstanceOf(DownstreamException.class)
        .hasMessageContaining("DEADLINE_EXCEEDED");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(10));
  }

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
