package com.webook.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.discovery.ServiceDirectory;
import com.webook.platform.discovery.ServiceInstance;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A hung endpoint (the TCP connection and HTTP/2 are fine, the calls are never answered) behind a
 * REAL retrying channel built by {@link GrpcChannels}: its service config, retry/hedging policy,
 * our balancer and its tracer, over loopback Netty. What the balancer sees here is what a real
 * process sees, not a status fed to a tracer by hand.
 */
class HungEndpointTest {
  private static final String SERVICE = "hung-test";
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final List<Server> servers = new ArrayList<>();
  private final List<StreamObserver<SimpleResponse>> neverAnswered = new CopyOnWriteArrayList<>();
  private final ExecutorService deliveries = Executors.newSingleThreadExecutor();
  private GrpcChannels channels;
  private String hung;

  @BeforeEach
  void setUp() {
    Metrics.addRegistry(metrics);
  }

  @AfterEach
  void tearDown() {
    if (channels != null) {
      channels.close();
    }
    servers.forEach(Server::shutdownNow);
    deliveries.shutdownNow();
    Metrics.removeRegistry(metrics);
  }

  private Server start(boolean answers) throws IOException {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(
                new SimpleServiceGrpc.SimpleServiceImplBase() {
                  @Override
                  public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
                    if (!answers) {
                      neverAnswered.add(out); // like a SIGSTOP'd process: nothing comes back
                      return;
                    }
                    out.onNext(
                        SimpleResponse.newBuilder()
                            .setResponseMessage(request.getRequestMessage())
                            .build());
                    out.onCompleted();
                  }
                })
            .build()
            .start();
    servers.add(server);
    return server;
  }

  /** Two healthy endpoints and a hung one, equal weights; returns the channel. */
  private ManagedChannel cluster(Duration deadline, int maxAttempts, Duration hedgingDelay)
      throws IOException {
    List<ServiceDirectory.Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Server s = start(i != 1);
      String id = "127.0.0.1:" + s.getPort();
      if (i == 1) {
        hung = id;
      }
      endpoints.add(
          new ServiceDirectory.Endpoint(
              id,
              new ServiceInstance(id, 1, "", "test", 0, Map.of()),
              new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getPort()),
              false));
    }
    WeightedRoundRobinConfig d = WeightedRoundRobinConfig.defaults();
    WeightedRoundRobinConfig balancer =
        new WeightedRoundRobinConfig(
            Duration.ZERO,
            d.slowStartMinFactor(),
            3,
            Duration.ofMinutes(1), // long: once out, it stays out for the whole test
            Duration.ofMinutes(2),
            0.5,
            Duration.ZERO,
            d.groupFallback());
    GrpcClientConfig config =
        new GrpcClientConfig(
            deadline,
            Map.of(),
            List.of("grpc.testing.SimpleService"),
            List.of(),
            maxAttempts,
            hedgingDelay,
            Duration.ofSeconds(10),
            Duration.ofSeconds(2),
            Duration.ofMinutes(30),
            balancer,
            true);
    channels = new GrpcChannels(new StaticDirectory(endpoints), Map.of(SERVICE, config), List.of());
    ManagedChannel channel = channels.channelFor(SERVICE);
    // Connected to all three before the test starts: a call made while the hung endpoint is the
    // only one connected has nowhere else to go (that is start-up, not what is tested here).
    channel.getState(true);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                metrics
                    .find("webook.balancer.ready.endpoints")
                    .tag("service", SERVICE)
                    .gauges()
                    .stream()
                    .anyMatch(g -> g.value() == 3));
    return channel;
  }

  private double ejections() {
    return metrics.find("webook.balancer.ejections").tag("endpoint", hung).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private double attemptsOnHung() {
    return metrics.find("webook.balancer.picks").tag("endpoint", hung).functionCounters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private static SimpleRequest request(int i) {
    return SimpleRequest.newBuilder().setRequestMessage("call-" + i).build();
  }

  @Test
  void withRetriesTheTimedOutAttemptsEjectTheHungEndpoint() throws Exception {
    ManagedChannel channel = cluster(Duration.ofMillis(300), 3, Duration.ZERO);
    List<Status> attemptStatuses = new CopyOnWriteArrayList<>();
    var stub =
        SimpleServiceGrpc.newBlockingStub(channel)
            .withInterceptors(recordingAttemptStatuses(attemptStatuses));
    int timedOut = 0;
    int calls = 0;
    while (ejections() == 0) {
      assertThat(calls).as("calls before the hung endpoint is ejected").isLessThan(200);
      try {
        stub.unaryRpc(request(calls));
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        timedOut++;
      }
      calls++;
    }
    // The premise: the retrying channel closed the hung attempts CANCELLED, never
    // DEADLINE_EXCEEDED, while the caller saw DEADLINE_EXCEEDED.
    assertThat(timedOut).isPositive();
    assertThat(attemptStatuses).extracting(Status::getCode).contains(Status.Code.CANCELLED);
    assertThat(attemptStatuses)
        .extracting(Status::getCode)
        .doesNotContain(Status.Code.DEADLINE_EXCEEDED);
    System.out.printf(
        "retries: hung endpoint ejected after %d calls (%d timed out)%n", calls, timedOut);

    double attemptsBefore = attemptsOnHung();
    for (int i = 0; i < 30; i++) {
      assertThat(stub.unaryRpc(request(i)).getResponseMessage()).isEqualTo("call-" + i);
    }
    assertThat(attemptsOnHung()).as("no attempt on the ejected endpoint").isEqualTo(attemptsBefore);
  }

  @Test
  void withHedgingNoCallFailsAndTheHungEndpointIsEjected() throws Exception {
    ManagedChannel channel = cluster(Duration.ofSeconds(5), 2, Duration.ofMillis(50));
    var stub = SimpleServiceGrpc.newBlockingStub(channel);
    long slowest = 0;
    int hedged = 0;
    int calls = 0;
    // Every call succeeds: one whose first attempt hangs gets its hedge on another endpoint.
    while (ejections() == 0 || calls < 60) {
      assertThat(calls).as("calls before the hung endpoint is ejected").isLessThan(500);
      long start = System.nanoTime();
      assertThat(stub.unaryRpc(request(calls)).getResponseMessage()).isEqualTo("call-" + calls);
      long took = System.nanoTime() - start;
      slowest = Math.max(slowest, took);
      if (took >= Duration.ofMillis(50).toNanos()) {
        hedged++;
      }
      calls++;
    }
    assertThat(ejections()).isEqualTo(1);
    System.out.printf(
        "hedging: %d calls, 0 failed, %d took >= the 50 ms hedging delay, slowest %d ms%n",
        calls, hedged, slowest / 1_000_000);
    double attemptsBefore = attemptsOnHung();
    for (int i = 0; i < 30; i++) {
      stub.unaryRpc(request(i));
    }
    assertThat(attemptsOnHung()).as("no attempt on the ejected endpoint").isEqualTo(attemptsBefore);
  }

  private static ClientInterceptor recordingAttemptStatuses(List<Status> statuses) {
    ClientStreamTracer.Factory factory =
        new ClientStreamTracer.Factory() {
          @Override
          public ClientStreamTracer newClientStreamTracer(
              ClientStreamTracer.StreamInfo info, Metadata headers) {
            return new ClientStreamTracer() {
              @Override
              public void streamClosed(Status status) {
                if (!status.isOk()) {
                  statuses.add(status);
                }
              }
            };
          }
        };
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withStreamTracerFactory(factory));
      }
    };
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
