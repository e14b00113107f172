package com.webook.testsupport;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What {@code grpcurl list} and {@code grpc_health_probe} do, for tests. */
public final class GrpcProbe {
  private GrpcProbe() {}

  /** The services a server lists through the reflection API (grpc.reflection.v1). */
  public static List<String> listServices(String host, int port) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      CompletableFuture<List<String>> result = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests =
          ServerReflectionGrpc.newStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse r) {
                      result.complete(
                          r.getListServicesResponse().getServiceList().stream()
                              .map(s -> s.getName())
                              .sorted()
                              .toList());
                    }

                    @Override
                    public void onError(Throwable t) {
                      result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                      result.complete(List.of());
                    }
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      requests.onCompleted();
      return result.get(5, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  /** The server's overall health status ({@code service=""}). */
  public static HealthCheckResponse.ServingStatus health(String host, int port)
      throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(3, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance())
          .getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }
}
