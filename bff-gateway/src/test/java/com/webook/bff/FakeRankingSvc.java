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
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.UUID;

/**
 * A scripted ranking-svc for the BFF's tests, served in-process over real gRPC (or, from {@link
 * #onLoopback}, over Netty on a loopback port, for tests of the real client channel): {@code TopN}
 * answers the list the test set last ({@link #topN}; empty until then), through {@link
 * ScriptedCalls} for failures, delays, held answers and recorded calls (method name {@code
 * "TopN"}). {@code RankTopN} answers UNIMPLEMENTED: the BFF never calls it. Thread-safe.
 */
final class FakeRankingSvc implements AutoCloseable {
  final ScriptedCalls calls = new ScriptedCalls();
  private final String name = "fake-ranking-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel; // null on loopback: the test builds its own
  private volatile TopNResponse list = TopNResponse.getDefaultInstance();

  /** In-process, with {@link #channel()} to it. */
  FakeRankingSvc() {
    this(false);
  }

  private FakeRankingSvc(boolean loopback) {
    var service = ServerInterceptors.intercept(new Ranking(), RouteGroup.receiver());
    try {
      server =
          loopback
              ? NettyServerBuilder.forAddress(
                      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                  .directExecutor()
                  .addService(service)
                  .build()
                  .start()
              : InProcessServerBuilder.forName(name)
                  .directExecutor()
                  .addService(service)
                  .build()
                  .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = loopback ? null : InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** Served over Netty on a free loopback port ({@link #port()}); no {@link #channel()}. */
  static FakeRankingSvc onLoopback() {
    return new FakeRankingSvc(true);
  }

  ManagedChannel channel() {
    if (channel == null) {
      throw new IllegalStateException("a loopback fake has no in-process channel: use port()");
    }
    return channel;
  }

  int port() {
    return server.getPort();
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
    if (channel != null) {
      channel.shutdownNow();
    }
    server.shutdownNow();
    calls.close();
  }
}
