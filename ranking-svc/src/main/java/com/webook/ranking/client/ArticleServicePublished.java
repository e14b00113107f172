package com.webook.ranking.client;

import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.ListPubRequest;
import com.webook.platform.grpc.DownstreamCalls;
import com.webook.platform.grpc.ProtoTimestamps;
import com.webook.ranking.domain.Candidate;
import com.webook.ranking.service.PublishedArticles;
import io.grpc.Channel;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Published articles from article-svc's {@code ListPub} (SPEC §5.4: abstracts, no content, author
 * names filled in) through the host's {@code etcd:///article} channel. Failures arrive as {@link
 * DownstreamCalls} translates them. Thread-safe.
 */
public final class ArticleServicePublished implements PublishedArticles {
  private final ArticleServiceGrpc.ArticleServiceBlockingStub articles;

  public ArticleServicePublished(Channel articleSvc) {
    this.articles = ArticleServiceGrpc.newBlockingStub(articleSvc);
  }

  @Override
  public List<Candidate> page(Instant before, int offset, int limit) {
    List<Article> page =
        DownstreamCalls.call(
                "article.ListPub",
                () ->
                    articles.listPub(
                        ListPubRequest.newBuilder()
                            .setStartTime(ProtoTimestamps.toTimestamp(before))
                            .setOffset(offset)
                            .setLimit(limit)
                            .build()))
            .getArticlesList();
    List<Candidate> out = new ArrayList<>(page.size());
    for (Article a : page) {
      out.add(
          new Candidate(
              a.getId(),
              a.getTitle(),
              a.getAbstract(),
              a.getAuthor().getId(),
              a.getAuthor().getName(),
              // article-svc keeps times in ms; so does the stored list, so every instance serves
              // the same list whether it computed it or read it from Redis.
              ProtoTimestamps.toInstant(a.getUtime()).truncatedTo(ChronoUnit.MILLIS)));
    }
    return out;
  }
}
