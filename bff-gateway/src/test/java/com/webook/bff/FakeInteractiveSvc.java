package com.webook.bff;

import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.GetResponse;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.routing.RouteGroup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted interactive-svc for the BFF's tests, served in-process over real gRPC: {@code Get}
 * answers the counters the test set for {@code (biz, biz_id, uid)} (zeros otherwise), with {@link
 * ScriptedCalls} for failures, delays, held answers and recorded calls. The other methods answer
 * UNIMPLEMENTED, as the shell interactive-svc answers everything today. Thread-safe.
 */
final class FakeInteractiveSvc implements AutoCloseable {
  final ScriptedCalls calls = new ScriptedCalls();
  private final String name = "fake-interactive-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel;
  private final Map<String, Interactive> counters = new ConcurrentHashMap<>();

  FakeInteractiveSvc() {
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(new Counters(), RouteGroup.receiver()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  ManagedChannel channel() {
    return channel;
  }

  /** What Get answers for {@code uid} reading {@code bizId} of {@code biz}. */
  void counters(String biz, long bizId, long uid, Interactive answer) {
    counters.put(biz + ":" + bizId + ":" + uid, answer);
  }

  private final class Counters extends InteractiveServiceGrpc.InteractiveServiceImplBase {
    @Override
    public void get(GetRequest r, StreamObserver<GetResponse> out) {
      calls.answer(
          "Get",
          r,
          out,
          () ->
              GetResponse.newBuilder()
                  .setIntr(
                      counters.getOrDefault(
                          r.getBiz() + ":" + r.getBizId() + ":" + r.getUid(),
                          Interactive.newBuilder()
                              .setBiz(r.getBiz())
                              .setBizId(r.getBizId())
                              .build()))
                  .build());
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    calls.close();
  }
}
