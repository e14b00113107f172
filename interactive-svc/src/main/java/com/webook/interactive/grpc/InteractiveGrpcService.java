package com.webook.interactive.grpc;

import static com.webook.platform.grpc.RequestChecks.biz;
import static com.webook.platform.grpc.RequestChecks.itemCount;
import static com.webook.platform.grpc.RequestChecks.positiveId;

import com.webook.api.intr.v1.CancelLikeRequest;
import com.webook.api.intr.v1.CancelLikeResponse;
import com.webook.api.intr.v1.CollectRequest;
import com.webook.api.intr.v1.CollectResponse;
import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.GetByIdsResponse;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.GetResponse;
import com.webook.api.intr.v1.IncrReadCntRequest;
import com.webook.api.intr.v1.IncrReadCntResponse;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.api.intr.v1.LikeResponse;
import com.webook.interactive.domain.Counts;
import com.webook.interactive.domain.Interactive;
import com.webook.interactive.service.InteractiveService;
import com.webook.platform.errors.InvalidInputException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * {@code intr.v1.InteractiveService}: validates each request (SPEC §3: biz 1..128 characters, ids
 * and uids > 0, Get's uid ≥ 0 with 0 anonymous, cid ≥ 0 with 0 the default folder, GetByIds 1..
 * {@value #GET_BY_IDS_MAX} ids), maps proto ↔ domain, and calls {@link InteractiveService}.
 *
 * <p>GetByIds answers only ids with a non-zero counter (the contract: "ids without counters are
 * absent"); a caller reads a missing id as zeros. Duplicate ids are asked for once. Thread-safe.
 */
public final class InteractiveGrpcService
    extends InteractiveServiceGrpc.InteractiveServiceImplBase {
  /** Ranking asks for one ListPub page (≤ 1000 articles, SPEC §5.4) at a time. */
  static final int GET_BY_IDS_MAX = 1000;

  private final InteractiveService service;

  public InteractiveGrpcService(InteractiveService service) {
    this.service = service;
  }

  @Override
  public void incrReadCnt(IncrReadCntRequest request, StreamObserver<IncrReadCntResponse> out) {
    service.addRead(biz(request.getBiz()), positiveId("biz_id", request.getBizId()));
    reply(out, IncrReadCntResponse.getDefaultInstance());
  }

  @Override
  public void like(LikeRequest request, StreamObserver<LikeResponse> out) {
    service.like(
        biz(request.getBiz()),
        positiveId("biz_id", request.getBizId()),
        positiveId("uid", request.getUid()));
    reply(out, LikeResponse.getDefaultInstance());
  }

  @Override
  public void cancelLike(CancelLikeRequest request, StreamObserver<CancelLikeResponse> out) {
    service.cancelLike(
        biz(request.getBiz()),
        positiveId("biz_id", request.getBizId()),
        positiveId("uid", request.getUid()));
    reply(out, CancelLikeResponse.getDefaultInstance());
  }

  @Override
  public void collect(CollectRequest request, StreamObserver<CollectResponse> out) {
    if (request.getCid() < 0) {
      throw new InvalidInputException(
          "cid must be >= 0 (0: the default folder), was " + request.getCid());
    }
    service.collect(
        biz(request.getBiz()),
        positiveId("biz_id", request.getBizId()),
        positiveId("uid", request.getUid()),
        request.getCid());
    reply(out, CollectResponse.getDefaultInstance());
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> out) {
    String biz = biz(request.getBiz());
    long bizId = positiveId("biz_id", request.getBizId());
    if (request.getUid() < 0) {
      throw new InvalidInputException("uid must be >= 0 (0: anonymous), was " + request.getUid());
    }
    Interactive i = service.get(biz, bizId, request.getUid());
    reply(
        out,
        GetResponse.newBuilder()
            .setIntr(toProto(biz, bizId, i.counts(), i.liked(), i.collected()))
            .build());
  }

  @Override
  public void getByIds(GetByIdsRequest request, StreamObserver<GetByIdsResponse> out) {
    String biz = biz(request.getBiz());
    itemCount("ids", request.getIdsList(), 1, GET_BY_IDS_MAX);
    LinkedHashSet<Long> distinct = new LinkedHashSet<>(request.getIdsCount() * 2);
    for (long id : request.getIdsList()) {
      distinct.add(positiveId("ids[]", id));
    }
    Map<Long, Counts> counts = service.getByIds(biz, new ArrayList<>(distinct));
    GetByIdsResponse.Builder response = GetByIdsResponse.newBuilder();
    counts.forEach(
        (id, c) -> {
          if (!c.equals(Counts.ZERO)) {
            response.putIntrs(id, toProto(biz, id, c, false, false));
          }
        });
    reply(out, response.build());
  }

  static com.webook.api.intr.v1.Interactive toProto(
      String biz, long bizId, Counts c, boolean liked, boolean collected) {
    return com.webook.api.intr.v1.Interactive.newBuilder()
        .setBiz(biz)
        .setBizId(bizId)
        .setReadCnt(c.readCnt())
        .setLikeCnt(c.likeCnt())
        .setCollectCnt(c.collectCnt())
        .setLiked(liked)
        .setCollected(collected)
        .build();
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
