package com.webook.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.discovery.ServiceRegistration;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.testsupport.GrpcProbe;
import com.webook.testsupport.ServiceProcess;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server bootstrap on a real port: services, error mapping, health, reflection, graceful stop.
 */
class GrpcServerTest {
  private final List<String> events = new CopyOnWriteArrayList<>();
  private GrpcServer server;
  private ManagedChannel channel;

  /** Handler calls with message "block" that are running; each waits for {@link #release}. */
  private final CountDownLatch blockedCallRunning = new CountDownLatch(1);

  private final CountDownLatch release = new CountDownLatch(1);

  /** Echoes, fails on demand, or blocks until released: "block", "invalid", "missing", "boom". */
  final class TestService extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      String m = request.getRequestMessage();
      switch (m) {
        case "block" -> {
          blockedCallRunning.countDown();
          try {
            if (!release.await(60, TimeUnit.SECONDS)) {
              throw new IllegalStateException("the test never released the blocked call");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while blocked", e);
          }
        }
        case "invalid" -> throw new InvalidInputException("title must not be empty");
        case "missing" -> throw new NotFoundException("article 7 not found");
        case "boom" -> throw new IllegalStateException("SELECT * FROM users -- secret detail");
        default -> {}
      }
      out.onNext(SimpleResponse.newBuilder().setResponseMessage("echo " + m).build());
      out.onCompleted();
    }
  }

  private void start(Duration drain) {
    start(drain, Duration.ofSeconds(5));
  }

  private void start(Duration drain, Duration shutdownTimeout) {
    GrpcServerConfig config =
        new GrpcServerConfig(
            ServiceProcess.freePort(), "127.0.0.1", drain, shutdownTimeout, 1024 * 1024);
    server =
        GrpcServer.builder("test-svc", config)
            .addService(new TestService())
            .registration(
                new ServiceRegistration() {
                  @Override
                  public void register() {
                    events.add("register");
                  }

                  @Override
                  public void deregister() {
                    events.add("deregister");
                  }
                })
            .build();
    server.closeOnStop(() -> events.add("close-first-registered"));
    server.closeOnStop(() -> events.add("close-last-registered"));
    server.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    release.countDown();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.stop();
    }
  }

  private SimpleServiceGrpc.SimpleServiceBlockingStub stub() {
    return SimpleServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static SimpleRequest req(String m) {
    return SimpleRequest.newBuilder().setRequestMessage(m).build();
  }

  @Test
  void servesReflectionAndHealthAndRegistersAfterServing() throws Exception {
    start(Duration.ZERO);
    assertThat(stub().unaryRpc(req("hi")).getResponseMessage()).isEqualTo("echo hi");
    assertThat(GrpcProbe.listServices("127.0.0.1", server.port()))
        .contains(
            "grpc.testing.SimpleService",
            "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection");
    assertThat(GrpcProbe.health("127.0.0.1", server.port())).isEqualTo(ServingStatus.SERVING);
    assertThat(events).containsExactly("register");
  }

  @Test
  void domainErrorsMapToTheirCodesAndFaultsLeakNothing() {
    start(Duration.ZERO);
    assertThatThrownBy(() -> stub().unaryRpc(req("invalid")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription()).isEqualTo("title must not be empty");
            });
    assertThatThrownBy(() -> stub().unaryRpc(req("missing")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(() -> stub().unaryRpc(req("boom")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
              assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
              assertThat(e.getMessage()).doesNotContain("SELECT").doesNotContain("IllegalState");
            });
  }

  /**
   * Every step is awaited as a condition, never slept for. The one time-based behaviour is the
   * drain window itself: it is long (5 s) so that the health probe and the call made as soon as
   * NOT_SERVING is seen fall inside it on a busy machine; nothing asserts how long anything took.
   */
  @Test
  void gracefulStopDeregistersFirstServesThroughTheDrainWindowAndFinishesInFlightCalls()
      throws Exception {
    start(Duration.ofSeconds(5), Duration.ofSeconds(60));
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      CompletableFuture<SimpleResponse> inFlight =
          CompletableFuture.supplyAsync(
              () ->
                  SimpleServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(2, TimeUnit.MINUTES)
                      .unaryRpc(req("block")),
              threads);
      assertThat(blockedCallRunning.await(30, TimeUnit.SECONDS))
          .as("the slow call is running on the server")
          .isTrue();

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop, threads);

      await().atMost(Duration.ofSeconds(30)).until(() -> events.contains("deregister"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(GrpcProbe.health("127.0.0.1", server.port()))
                      .as("health tells probes to go away")
                      .isEqualTo(ServingStatus.NOT_SERVING));
      // Inside the drain window new calls are still served: clients may not have seen the change.
      assertThat(stub().unaryRpc(req("late")).getResponseMessage()).isEqualTo("echo late");

      // After the drain window: no new connections (GOAWAY), but the in-flight call keeps the stop
      // waiting, and nothing is closed under it.
      await().atMost(Duration.ofSeconds(30)).until(() -> !acceptsConnections(server.port()));
      assertThat(inFlight).as("the in-flight call is still running").isNotDone();
      assertThat(stopping).as("stop waits for in-flight calls").isNotDone();
      assertThat(events).containsExactly("register", "deregister");

      release.countDown();

      assertThat(inFlight.get(30, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("echo block");
      stopping.get(30, TimeUnit.SECONDS);
    }
    assertThat(events)
        .containsExactly(
            "register", "deregister", "close-last-registered", "close-first-registered");
    assertThat(server.isServing()).isFalse();
  }

  private static boolean acceptsConnections(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
