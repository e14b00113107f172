package com.webook.bff.client;

import com.webook.api.article.v1.Article;
import com.webook.api.intr.v1.Interactive;
import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.api.ranking.v1.TopNRequest;
import com.webook.api.ranking.v1.TopNResponse;
import com.webook.bff.domain.Author;
import com.webook.bff.domain.HotArticle;
import com.webook.platform.grpc.DownstreamCalls;
import com.webook.platform.grpc.ProtoTimestamps;
import io.grpc.Channel;
import java.util.List;
import java.util.Map;

/**
 * ranking-svc's {@code ranking.v1.RankingService}, as the BFF needs it: the hot list as domain
 * records, failures as {@link DownstreamCalls} translates them (the rest → DownstreamException).
 * TopN is a read ({@code clients.ranking.idempotentMethods}: hedged and retried by the channel);
 * its deadline is the channel's ({@code clients.ranking.deadline}). Thread-safe (stubs are).
 */
public final class RankingClient {
  private final RankingServiceGrpc.RankingServiceBlockingStub stub;

  public RankingClient(Channel channel) {
    this.stub = RankingServiceGrpc.newBlockingStub(channel);
  }

  /**
   * The current hot list, best first, in ranking-svc's order. Each entry carries the counters the
   * response lists for it ({@code intrs}), zeros when it lists none (a ranking-svc that does not
   * know the field yet).
   */
  public List<HotArticle> topN() {
    TopNResponse r =
        DownstreamCalls.call("ranking.TopN", () -> stub.topN(TopNRequest.getDefaultInstance()));
    Map<Long, Interactive> intrs = r.getIntrsMap();
    return r.getArticlesList().stream().map(a -> toDomain(a, intrs.get(a.getId()))).toList();
  }

  static HotArticle toDomain(Article a, Interactive counters) {
    Interactive c = counters == null ? Interactive.getDefaultInstance() : counters;
    return new HotArticle(
        a.getId(),
        a.getTitle(),
        a.getAbstract(),
        new Author(a.getAuthor().getId(), a.getAuthor().getName()),
        ProtoTimestamps.toInstant(a.getUtime()),
        c.getReadCnt(),
        c.getLikeCnt());
  }
}
