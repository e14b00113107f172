package com.webook.bff;

import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.api.ranking.v1.TopNRequest;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.platform.routing.RouteGroup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/**
 * A scripted ranking-svc for the BFF's tests, served in-process over real gRPC: {@code TopN}
 * answers the list the test set last ({@link #topN}; empty until then), through {@link
 * ScriptedCalls} for failures, delays, held answers and recorded calls (method name {@code
 * "TopN"}). {@code RankTopN} answers UNIMPLEMENTED: the BFF never calls it. Thread-safe.
 */
final class FakeRankingSvc implements AutoCloseable {
  final ScriptedCalls calls = new ScriptedCalls();
  private final String name = "fake-ranking-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel;
  private volatile TopNResponse list = TopNResponse.getDefaultInstance();

  FakeRankingSvc() {
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(new Ranking(), RouteGroup.receiver()))
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

  /** What TopN answers from now on. */
  void topN(TopNResponse answer) {
    list = answer;
  }

  private final class Ranking extends RankingServiceGrpc.RankingServiceImplBase {
    @Override
    public void topN(TopNRequest r, StreamObserver<TopNResponse> out) {
      calls.answer("TopN", r, out, () -> list);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    calls.close();
  }
}
