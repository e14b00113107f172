package com.webook.ranking.grpc;

import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.Author;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.ranking.v1.RankTopNRequest;
import com.webook.api.ranking.v1.RankTopNResponse;
import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.api.ranking.v1.TopNRequest;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.platform.errors.UnavailableException;
import com.webook.platform.grpc.ProtoTimestamps;
import com.webook.ranking.domain.Candidate;
import com.webook.ranking.domain.HotArticle;
import com.webook.ranking.domain.HotList;
import com.webook.ranking.domain.RunRecord;
import com.webook.ranking.service.HotListService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ranking.v1.RankingService}. {@code TopN} answers the list best first, articles with their
 * abstract and no content, and — an addition to the course contract — each one's counters as ranked
 * in {@code intrs}; the response is built once per list and reused for every call until the list
 * changes (the hot path allocates nothing of its own). {@code RankTopN} asks for a run and waits
 * for it within the call's deadline (at most {@code maxForceWait}); a run that failed or was
 * superseded answers UNAVAILABLE. Thread-safe.
 */
public final class RankingGrpcService extends RankingServiceGrpc.RankingServiceImplBase {
  /** article-svc's code for a published article (SPEC §5.1): only those are ranked. */
  static final int PUBLISHED = 2;

  static final String BIZ = "article";

  private final HotListService lists;
  private final Duration maxForceWait;
  private final AtomicReference<Built> built = new AtomicReference<>();

  public RankingGrpcService(HotListService lists, Duration maxForceWait) {
    this.lists = lists;
    this.maxForceWait = maxForceWait;
  }

  @Override
  public void topN(TopNRequest request, StreamObserver<TopNResponse> out) {
    HotList list = lists.topN();
    Built b = built.get();
    if (b == null || b.list() != list) {
      b = new Built(list, toProto(list));
      built.set(b);
    }
    out.onNext(b.response());
    out.onCompleted();
  }

  @Override
  public void rankTopN(RankTopNRequest request, StreamObserver<RankTopNResponse> out) {
    Duration wait = maxForceWait;
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null) {
      // Leave a little of the caller's time for the answer itself.
      Duration left = Duration.ofMillis(deadline.timeRemaining(TimeUnit.MILLISECONDS) - 100);
      wait = left.compareTo(wait) < 0 ? left : wait;
    }
    RunRecord run;
    try {
      run = lists.rankNow(wait.isNegative() ? Duration.ZERO : wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while waiting for the run");
    }
    switch (run.outcome()) {
      case PUBLISHED, LOCAL_ONLY -> {
        out.onNext(RankTopNResponse.getDefaultInstance());
        out.onCompleted();
      }
      default ->
          throw new UnavailableException(
              "the hot-list run ended " + run.outcome().code() + ": " + run.detail());
    }
  }

  static TopNResponse toProto(HotList list) {
    TopNResponse.Builder response = TopNResponse.newBuilder();
    for (HotArticle h : list.articles()) {
      Candidate a = h.article();
      response.addArticles(
          Article.newBuilder()
              .setId(a.id())
              .setTitle(a.title())
              .setAbstract(a.abstractText())
              .setStatus(PUBLISHED)
              .setAuthor(Author.newBuilder().setId(a.authorId()).setName(a.authorName()))
              .setUtime(ProtoTimestamps.toTimestamp(a.utime())));
      response.putIntrs(
          a.id(),
          Interactive.newBuilder()
              .setBiz(BIZ)
              .setBizId(a.id())
              .setReadCnt(h.counts().reads())
              .setLikeCnt(h.counts().likes())
              .setCollectCnt(h.counts().collects())
              .build());
    }
    return response.build();
  }

  private record Built(HotList list, TopNResponse response) {}
}
