package com.webook.platform.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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

  /** Echoes, fails on demand, or sleeps: "sleep:300", "invalid", "missing", "boom". */
  static final class TestService extends SimpleServiceGrpc.SimpleServiceImplBase {
    @Override
    public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
      String m = request.getRequestMessage();
      if (m.startsWith("sleep:")) {
        try {
          Thread.sleep(Long.parseLong(m.substring(6)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      switch (m) {
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
    GrpcServerConfig config =
        new GrpcServerConfig(
            ServiceProcess.freePort(), "127.0.0.1", drain, Duration.ofSeconds(5), 1024 * 1024);
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

  @Test
  void gracefulStopDeregistersFirstServesThroughTheDrainWindowAndFinishesInFlightCalls()
      throws Exception {
    start(Duration.ofMillis(600));
    var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    CompletableFuture<SimpleResponse> inFlight =
        CompletableFuture.supplyAsync(() -> stub().unaryRpc(req("sleep:1200")), threads);
    Thread.sleep(200); // the slow call is now running on the server
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop, threads);
    Thread.sleep(200);
    assertThat(events).contains("deregister");
    assertThat(GrpcProbe.health("127.0.0.1", server.port()))
        .as("health tells probes to go away")
        .isEqualTo(ServingStatus.NOT_SERVING);
    // Inside the drain window new calls are still served: clients may not have seen the change yet.
    assertThat(stub().unaryRpc(req("late")).getResponseMessage()).isEqualTo("echo late");
    assertThat(inFlight.get(5, TimeUnit.SECONDS).getResponseMessage()).isEqualTo("echo sleep:1200");
    stopping.get(10, TimeUnit.SECONDS);
    assertThat(events)
        .containsExactly(
            "register", "deregister", "close-last-registered", "close-first-registered");
    assertThat(server.isServing()).isFalse();
  }
}
