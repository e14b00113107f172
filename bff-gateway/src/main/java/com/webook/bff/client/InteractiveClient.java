package com.webook.bff.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.GetResponse;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.bff.domain.Counters;
import com.webook.platform.grpc.DownstreamCalls;
import io.grpc.Channel;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * interactive-svc's {@code intr.v1.InteractiveService}, as the BFF's handlers need it: domain
 * records out, failures as {@link DownstreamCalls} translates them (INVALID_ARGUMENT →
 * InvalidInputException, …, the rest → DownstreamException). The reader view's {@code Get} runs on
 * the future stub (it overlaps the article call); the writes are blocking, like every other call of
 * a handler. Which calls may be sent again is the channel's business ({@code
 * clients.interactive.idempotentMethods}). Thread-safe (stubs are).
 */
public final class InteractiveClient {
  private final InteractiveServiceGrpc.InteractiveServiceFutureStub stub;
  private final InteractiveServiceGrpc.InteractiveServiceBlockingStub blocking;

  public InteractiveClient(Channel channel) {
    this.stub = InteractiveServiceGrpc.newFutureStub(channel);
    this.blocking = InteractiveServiceGrpc.newBlockingStub(channel);
  }

  /** {@code uid} likes {@code bizId}; liking twice counts once (interactive-svc's rule). */
  public void like(String biz, long bizId, long uid) {
    DownstreamCalls.call(
        "interactive.Like",
        () ->
            blocking.like(
                LikeRequest.newBuilder().setBiz(biz).setBizId(bizId).setUid(uid).build()));
  }

  /** {@code uid} takes back a like; no like is a no-op (interactive-svc's rule). */
  public void cancelLike(String biz, long bizId, long uid) {
    DownstreamCalls.call(
        "interactive.CancelLike",
        () ->
            blocking.cancelLike(
                CancelLikeRequest.newBuilder().setBiz(biz).setBizId(bizId).setUid(uid).build()));
  }

  /**
   * {@code uid} collects {@code bizId} into folder {@code cid} (0: the default folder); collecting
   * again counts once (interactive-svc's rule).
   */
  public void collect(String biz, long bizId, long uid, long cid) {
    DownstreamCalls.call(
        "interactive.Collect",
        () ->
            blocking.collect(
                CollectRequest.newBuilder()
                    .setBiz(biz)
                    .setBizId(bizId)
                    .setUid(uid)
                    .setCid(cid)
                    .build()));
  }

  /**
   * Starts {@code Get(biz, bizId, uid)} and returns at once, so the caller can make its other calls
   * while this one runs (no thread of its own: gRPC completes the future). The call is created on
   * the calling thread and so carries that thread's gRPC context (the route group); its deadline is
   * {@code deadline}. The future fails with what {@link DownstreamCalls} makes of the status;
   * cancelling it cancels the call.
   */
  public CompletableFuture<Counters> get(String biz, long bizId, long uid, Duration deadline) {
    ListenableFuture<GetResponse> call =
        stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS)
            .get(GetRequest.newBuilder().setBiz(biz).setBizId(bizId).setUid(uid).build());
    CompletableFuture<Counters> counters =
        new CompletableFuture<>() {
          @Override
          public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            // The caller stopped waiting: end the RPC now. gRPC's future cancels its call only
            // when asked to "interrupt" (there is no thread to interrupt).
            call.cancel(true);
            return cancelled;
          }
        };
    Futures.addCallback(
        call,
        new FutureCallback<GetResponse>() {
          @Override
          public void onSuccess(GetResponse response) {
            counters.complete(toDomain(response.getIntr()));
          }

          @Override
          public void onFailure(Throwable t) {
            counters.completeExceptionally(
                DownstreamCalls.toException("interactive.Get", Status.fromThrowable(t), t));
          }
        },
        MoreExecutors.directExecutor());
    return counters;
  }

  static Counters toDomain(Interactive i) {
    return new Counters(
        i.getReadCnt(), i.getLikeCnt(), i.getCollectCnt(), i.getLiked(), i.getCollected());
  }
}
