package com.webook.article.grpc;

import static com.webook.platform.grpc.RequestChecks.pageLimit;
import static com.webook.platform.grpc.RequestChecks.pageOffset;
import static com.webook.platform.grpc.RequestChecks.positiveId;

import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetByIdResponse;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdResponse;
import com.webook.api.article.v1.ListPubRequest;
import com.webook.api.article.v1.ListPubResponse;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.ListResponse;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.PublishResponse;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.SaveResponse;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.api.article.v1.WithdrawResponse;
import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.Draft;
import com.webook.article.domain.PublishedArticle;
import com.webook.article.domain.PublishedSummary;
import com.webook.article.service.ArticleService;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.grpc.ProtoTimestamps;
import com.webook.platform.validation.ArticleInputRules;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;

/**
 * {@code article.v1.ArticleService}: validates each request (SPEC §3: ids, page bounds; the title
 * and content rules shared with the BFF), maps proto ↔ domain, and calls {@link ArticleService}.
 * Domain exceptions become statuses in the platform's interceptor: not found or someone else's →
 * NOT_FOUND (existence of others' drafts does not leak), bad input → INVALID_ARGUMENT.
 *
 * <p>{@code List} and {@code ListPub} answer abstracts and leave {@code content} empty: lists show
 * abstracts, and a page of 1 MiB contents is not something any caller should receive. Thread-safe.
 */
public final class ArticleGrpcService extends ArticleServiceGrpc.ArticleServiceImplBase {
  /** SPEC §2.4: an author lists at most 100 articles at a time. */
  static final int LIST_MAX = 100;

  /** SPEC §5.4: ranking pages through at most 1000 at a time. */
  static final int LIST_PUB_MAX = 1000;

  private final ArticleService articles;
  private final Clock clock;

  public ArticleGrpcService(ArticleService articles, Clock clock) {
    this.articles = articles;
    this.clock = clock;
  }

  @Override
  public void save(SaveRequest request, StreamObserver<SaveResponse> out) {
    long id = articles.save(draft(request.getArticle()));
    reply(out, SaveResponse.newBuilder().setId(id).build());
  }

  @Override
  public void publish(PublishRequest request, StreamObserver<PublishResponse> out) {
    long id = articles.publish(draft(request.getArticle()));
    reply(out, PublishResponse.newBuilder().setId(id).build());
  }

  @Override
  public void withdraw(WithdrawRequest request, StreamObserver<WithdrawResponse> out) {
    articles.withdraw(positiveId("uid", request.getUid()), positiveId("id", request.getId()));
    reply(out, WithdrawResponse.getDefaultInstance());
  }

  @Override
  public void list(ListRequest request, StreamObserver<ListResponse> out) {
    long author = positiveId("author", request.getAuthor());
    int offset = pageOffset("offset", request.getOffset());
    int limit = pageLimit("limit", request.getLimit(), LIST_MAX);
    ListResponse.Builder response = ListResponse.newBuilder();
    for (ArticleSummary s : articles.list(author, offset, limit)) {
      response.addArticles(toProto(s, ""));
    }
    reply(out, response.build());
  }

  @Override
  public void getById(GetByIdRequest request, StreamObserver<GetByIdResponse> out) {
    Article a = articles.getById(positiveId("id", request.getId()));
    reply(out, GetByIdResponse.newBuilder().setArticle(toProto(a, "")).build());
  }

  @Override
  public void getPublishedById(
      GetPublishedByIdRequest request, StreamObserver<GetPublishedByIdResponse> out) {
    long id = positiveId("id", request.getId());
    if (request.getUid() < 0) {
      throw new InvalidInputException("uid must be >= 0 (0: anonymous), was " + request.getUid());
    }
    PublishedArticle view = articles.getPublishedById(id, request.getUid());
    reply(
        out,
        GetPublishedByIdResponse.newBuilder()
            .setArticle(toProto(view.article(), view.authorName()))
            .build());
  }

  @Override
  public void listPub(ListPubRequest request, StreamObserver<ListPubResponse> out) {
    // An unset start_time means "now": the newest published articles.
    Instant before =
        request.hasStartTime()
            ? ProtoTimestamps.requestInstant("start_time", request.getStartTime())
            : clock.instant();
    int offset = pageOffset("offset", request.getOffset());
    int limit = pageLimit("limit", request.getLimit(), LIST_PUB_MAX);
    ListPubResponse.Builder response = ListPubResponse.newBuilder();
    for (PublishedSummary s : articles.listPublished(before, offset, limit)) {
      response.addArticles(toProto(s.article(), s.authorName()));
    }
    reply(out, response.build());
  }

  /** A Save/Publish request's article as a draft of its author; title and content checked. */
  static Draft draft(com.webook.api.article.v1.Article a) {
    long authorId = positiveId("article.author.id", a.getAuthor().getId());
    if (a.getId() < 0) {
      throw new InvalidInputException("article.id must be >= 0 (0: new), was " + a.getId());
    }
    ArticleInputRules.check(a.getTitle(), a.getContent())
        .ifPresent(
            problem -> {
              throw new InvalidInputException(
                  switch (problem) {
                    case EMPTY_TITLE -> "article.title must not be empty";
                    case LONG_TITLE ->
                        "article.title must be at most "
                            + ArticleInputRules.TITLE_MAX_CHARS
                            + " characters";
                    case LONG_CONTENT ->
                        "article.content must be at most "
                            + ArticleInputRules.CONTENT_MAX_BYTES
                            + " bytes";
                  });
            });
    return new Draft(a.getId(), authorId, a.getTitle(), a.getContent());
  }

  static com.webook.api.article.v1.Article toProto(Article a, String authorName) {
    return com.webook.api.article.v1.Article.newBuilder()
        .setId(a.id())
        .setTitle(a.title())
        .setStatus(a.status().code())
        .setContent(a.content())
        .setAbstract(a.abstractText())
        .setAuthor(Author.newBuilder().setId(a.authorId()).setName(authorName))
        .setCtime(ProtoTimestamps.toTimestamp(a.ctime()))
        .setUtime(ProtoTimestamps.toTimestamp(a.utime()))
        .build();
  }

  static com.webook.api.article.v1.Article toProto(ArticleSummary s, String authorName) {
    return com.webook.api.article.v1.Article.newBuilder()
        .setId(s.id())
        .setTitle(s.title())
        .setStatus(s.status().code())
        .setAbstract(s.abstractText())
        .setAuthor(Author.newBuilder().setId(s.authorId()).setName(authorName))
        .setCtime(ProtoTimestamps.toTimestamp(s.ctime()))
        .setUtime(ProtoTimestamps.toTimestamp(s.utime()))
        .build();
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
