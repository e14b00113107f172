package com.webook.platform.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** x-route-group from the edge through two hops of gRPC calls. */
class RouteGroupTest {
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** Answers with the route group it sees; when given a channel, asks that one too ("a>b"). */
  private ManagedChannel serve(ManagedChannel next) throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                ServerInterceptors.intercept(
                    new SimpleServiceGrpc.SimpleServiceImplBase() {
                      @Override
                      public void unaryRpc(
                          SimpleRequest request, StreamObserver<SimpleResponse> out) {
                        String here = String.valueOf(RouteGroup.current());
                        if (next != null) {
                          here +=
                              ">"
                                  + SimpleServiceGrpc.newBlockingStub(next)
                                      .unaryRpc(request)
                                      .getResponseMessage();
                        }
                        out.onNext(SimpleResponse.newBuilder().setResponseMessage(here).build());
                        out.onCompleted();
                      }
                    },
                    RouteGroup.receiver()))
            .build()
            .start();
    ManagedChannel channel =
        InProcessChannelBuilder.forName(name)
            .directExecutor()
            .intercept(RouteGroup.propagator())
            .build();
    closing.add(server::shutdownNow);
    closing.add(channel::shutdownNow);
    return channel;
  }

  @Test
  void theGroupOfTheEdgeRequestReachesEveryHop() throws Exception {
    ManagedChannel second = serve(null);
    ManagedChannel first = serve(second);
    var stub = SimpleServiceGrpc.newBlockingStub(first);
    SimpleRequest req = SimpleRequest.getDefaultInstance();

    assertThat(stub.unaryRpc(req).getResponseMessage()).isEqualTo("null>null");
    assertThat(RouteGroup.callIn("canary", () -> stub.unaryRpc(req).getResponseMessage()))
        .isEqualTo("canary>canary");
    assertThat(RouteGroup.callIn("not a group!", () -> stub.unaryRpc(req).getResponseMessage()))
        .as("junk is not propagated")
        .isEqualTo("null>null");
    assertThat(RouteGroup.current()).as("nothing leaks out of callIn").isNull();
  }
}
