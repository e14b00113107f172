package com.webook.bff;

import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CancelLikeResponse;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.CollectResponse;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.GetResponse;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.api.intr.v1.LikeResponse;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scripted interactive-svc for the BFF's tests, served in-process over real gRPC (or, from {@link
 * #onLoopback}, over Netty on a loopback port, for tests of the real client channel): {@code Get}
 * answers the counters the test set for {@code (biz, biz_id, uid)} (zeros otherwise); {@code Like},
 * {@code CancelLike} and {@code Collect} answer empty responses; every method goes through {@link
 * ScriptedCalls} for failures, delays, held answers and recorded calls (method names as in the
 * proto: {@code "Like"} …). The other methods answer UNIMPLEMENTED, as the shell interactive-svc
 * answers everything today. Thread-safe.
 */
final class FakeInteractiveSvc implements AutoCloseable {
  final ScriptedCalls calls = new ScriptedCalls();
  private final String name = "fake-interactive-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel; // null on loopback: the test builds its own
  private final Map<String, Interactive> counters = new ConcurrentHashMap<>();

  /** In-process, with {@link #channel()} to it. */
  FakeInteractiveSvc() {
    this(false);
  }

  private FakeInteractiveSvc(boolean loopback) {
    var service = ServerInterceptors.intercept(new Counters(), RouteGroup.receiver());
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
  static FakeInteractiveSvc onLoopback() {
    return new FakeInteractiveSvc(true);
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

    @Override
    public void like(LikeRequest r, StreamObserver<LikeResponse> out) {
      calls.answer("Like", r, out, LikeResponse::getDefaultInstance);
    }

    @Override
    public void cancelLike(CancelLikeRequest r, StreamObserver<CancelLikeResponse> out) {
      calls.answer("CancelLike", r, out, CancelLikeResponse::getDefaultInstance);
    }

    @Override
    public void collect(CollectRequest r, StreamObserver<CollectResponse> out) {
      calls.answer("Collect", r, out, CollectResponse::getDefaultInstance);
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
