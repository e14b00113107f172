package com.webook.bff.client;

import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.bff.domain.Article;
import com.webook.bff.domain.ArticleDraft;
import com.webook.bff.domain.Author;
import com.webook.platform.grpc.DownstreamCalls;
import com.webook.platform.grpc.ProtoTimestamps;
import io.grpc.Channel;
import java.util.List;

/**
 * article-svc's {@code article.v1.ArticleService}, as the BFF's handlers need it: domain records in
 * and out, failures as {@link DownstreamCalls} translates them (NOT_FOUND → NotFoundException,
 * INVALID_ARGUMENT → InvalidInputException, PERMISSION_DENIED → PermissionDeniedException, the rest
 * → DownstreamException). Which calls may be retried is the channel's business ({@code
 * clients.article.idempotentMethods}: the reads). Thread-safe (stubs are).
 */
public final class ArticleClient {
  private final ArticleServiceGrpc.ArticleServiceBlockingStub stub;

  public ArticleClient(Channel channel) {
    this.stub = ArticleServiceGrpc.newBlockingStub(channel);
  }

  /** Saves a draft (status 1); the id of the article (new for id 0). NotFoundException: not own. */
  public long save(ArticleDraft draft) {
    return DownstreamCalls.call(
            "article.Save",
            () -> stub.save(SaveRequest.newBuilder().setArticle(toProto(draft)).build()))
        .getId();
  }

  /** Publishes (status 2 in both tables); the article's id. NotFoundException: not own. */
  public long publish(ArticleDraft draft) {
    return DownstreamCalls.call(
            "article.Publish",
            () -> stub.publish(PublishRequest.newBuilder().setArticle(toProto(draft)).build()))
        .getId();
  }

  /** Makes the author's article private (status 3). NotFoundException: absent or not own. */
  public void withdraw(long uid, long id) {
    DownstreamCalls.call(
        "article.Withdraw",
        () -> stub.withdraw(WithdrawRequest.newBuilder().setUid(uid).setId(id).build()));
  }

  /** The author's articles, newest change first. */
  public List<Article> list(long author, int offset, int limit) {
    return DownstreamCalls.call(
            "article.List",
            () ->
                stub.list(
                    ListRequest.newBuilder()
                        .setAuthor(author)
                        .setOffset(offset)
                        .setLimit(limit)
                        .build()))
        .getArticlesList()
        .stream()
        .map(ArticleClient::toDomain)
        .toList();
  }

  /** The author view of any article: callers check whose it is. NotFoundException: absent. */
  public Article getById(long id) {
    return toDomain(
        DownstreamCalls.call(
                "article.GetById",
                () -> stub.getById(GetByIdRequest.newBuilder().setId(id).build()))
            .getArticle());
  }

  /**
   * The reader view, with the author's name; article-svc emits the read event of {@code uid}.
   * NotFoundException: absent or not published.
   */
  public Article getPublishedById(long id, long uid) {
    return toDomain(
        DownstreamCalls.call(
                "article.GetPublishedById",
                () ->
                    stub.getPublishedById(
                        GetPublishedByIdRequest.newBuilder().setId(id).setUid(uid).build()))
            .getArticle());
  }

  private static com.webook.api.article.v1.Article toProto(ArticleDraft draft) {
    return com.webook.api.article.v1.Article.newBuilder()
        .setId(draft.id())
        .setTitle(draft.title())
        .setContent(draft.content())
        .setAuthor(com.webook.api.article.v1.Author.newBuilder().setId(draft.authorId()))
        .build();
  }

  static Article toDomain(com.webook.api.article.v1.Article a) {
    return new Article(
        a.getId(),
        a.getTitle(),
        a.getContent(),
        a.getAbstract(),
        a.getStatus(),
        new Author(a.getAuthor().getId(), a.getAuthor().getName()),
        ProtoTimestamps.toInstant(a.getCtime()),
        ProtoTimestamps.toInstant(a.getUtime()));
  }
}
