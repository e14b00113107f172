package com.webook.bff;

import com.google.protobuf.Timestamp;
import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetByIdResponse;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdResponse;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.ListResponse;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.PublishResponse;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.SaveResponse;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.api.article.v1.WithdrawResponse;
import com.webook.platform.routing.RouteGroup;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scripted article-svc for the BFF's tests, served in-process over real gRPC (so the BFF's stubs,
 * status translation and mapping all run): the author table and the reader table in memory with
 * SPEC §5.1's rules (Save/Publish/Withdraw only on the author's own article, readers see status 2
 * only), author names the test registers, and {@link ScriptedCalls} for failures, delays and
 * recorded calls. Thread-safe.
 */
final class FakeArticleSvc implements AutoCloseable {
  static final int UNPUBLISHED = 1;
  static final int PUBLISHED = 2;
  static final int PRIVATE = 3;

  final ScriptedCalls calls = new ScriptedCalls();
  private final String name = "fake-article-svc-" + UUID.randomUUID();
  private final Server server;
  private final ManagedChannel channel;
  private final AtomicLong ids = new AtomicLong(1000);
  private final Map<Long, Article> authored = new ConcurrentHashMap<>();
  private final Map<Long, Article> published = new ConcurrentHashMap<>();
  private final Map<Long, String> authorNames = new ConcurrentHashMap<>();
  private volatile Instant now = Instant.parse("2024-03-01T02:03:04Z");

  FakeArticleSvc() {
    try {
      server =
          InProcessServerBuilder.forName(name)
              .directExecutor()
              .addService(ServerInterceptors.intercept(new Articles(), RouteGroup.receiver()))
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

  /** The time stamped on the next writes. */
  void now(Instant t) {
    this.now = t;
  }

  /** The nickname article-svc would get from user-svc for {@code uid}. */
  void authorName(long uid, String nickname) {
    authorNames.put(uid, nickname);
  }

  /** Puts an article in the author table (and, if published, in the reader table) as is. */
  Article put(Article a) {
    authored.put(a.getId(), a);
    if (a.getStatus() == PUBLISHED) {
      published.put(a.getId(), a);
    }
    return a;
  }

  /** A new id no stored article has. */
  long newId() {
    return ids.incrementAndGet();
  }

  Optional<Article> authored(long id) {
    return Optional.ofNullable(authored.get(id));
  }

  Optional<Article> published(long id) {
    return Optional.ofNullable(published.get(id));
  }

  static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  /** The abstract as article-svc computes it: tags stripped, the first 100 code points. */
  static String abstractOf(String content) {
    String text = content.replaceAll("<[^>]*>", "");
    return text.codePointCount(0, text.length()) <= 100
        ? text
        : text.substring(0, text.offsetByCodePoints(0, 100));
  }

  private Article write(Article in, int status) {
    long author = in.getAuthor().getId();
    synchronized (authored) {
      long id = in.getId();
      Article current = id == 0 ? null : authored.get(id);
      if (id != 0 && (current == null || current.getAuthor().getId() != author)) {
        throw Status.NOT_FOUND
            .withDescription("article " + id + " of author " + author)
            .asRuntimeException();
      }
      if (id == 0) {
        id = ids.incrementAndGet();
      }
      Article a =
          Article.newBuilder()
              .setId(id)
              .setTitle(in.getTitle())
              .setContent(in.getContent())
              .setAbstract(abstractOf(in.getContent()))
              .setStatus(status)
              .setAuthor(Author.newBuilder().setId(author))
              .setCtime(current == null ? ts(now) : current.getCtime())
              .setUtime(ts(now))
              .build();
      authored.put(id, a);
      if (status == PUBLISHED) {
        published.put(id, a);
      }
      return a;
    }
  }

  private final class Articles extends ArticleServiceGrpc.ArticleServiceImplBase {
    @Override
    public void save(SaveRequest r, StreamObserver<SaveResponse> out) {
      calls.answer(
          "Save",
          r,
          out,
          () ->
              SaveResponse.newBuilder().setId(write(r.getArticle(), UNPUBLISHED).getId()).build());
    }

    @Override
    public void publish(PublishRequest r, StreamObserver<PublishResponse> out) {
      calls.answer(
          "Publish",
          r,
          out,
          () ->
              PublishResponse.newBuilder().setId(write(r.getArticle(), PUBLISHED).getId()).build());
    }

    @Override
    public void withdraw(WithdrawRequest r, StreamObserver<WithdrawResponse> out) {
      calls.answer(
          "Withdraw",
          r,
          out,
          () -> {
            synchronized (authored) {
              Article a = authored.get(r.getId());
              if (a == null || a.getAuthor().getId() != r.getUid()) {
                throw Status.NOT_FOUND.withDescription("article " + r.getId()).asRuntimeException();
              }
              Article withdrawn = a.toBuilder().setStatus(PRIVATE).setUtime(ts(now)).build();
              authored.put(a.getId(), withdrawn);
              published.computeIfPresent(a.getId(), (id, p) -> withdrawn);
              return WithdrawResponse.getDefaultInstance();
            }
          });
    }

    @Override
    public void list(ListRequest r, StreamObserver<ListResponse> out) {
      calls.answer(
          "List",
          r,
          out,
          () ->
              ListResponse.newBuilder()
                  .addAllArticles(
                      authored.values().stream()
                          .filter(a -> a.getAuthor().getId() == r.getAuthor())
                          .sorted(
                              Comparator.comparingLong((Article a) -> a.getUtime().getSeconds())
                                  .reversed()
                                  .thenComparing(
                                      Comparator.comparingLong(Article::getId).reversed()))
                          .skip(r.getOffset())
                          .limit(r.getLimit())
                          .toList())
                  .build());
    }

    @Override
    public void getById(GetByIdRequest r, StreamObserver<GetByIdResponse> out) {
      calls.answer(
          "GetById",
          r,
          out,
          () -> {
            Article a = authored.get(r.getId());
            if (a == null) {
              throw Status.NOT_FOUND.withDescription("article " + r.getId()).asRuntimeException();
            }
            return GetByIdResponse.newBuilder().setArticle(a).build();
          });
    }

    @Override
    public void getPublishedById(
        GetPublishedByIdRequest r, StreamObserver<GetPublishedByIdResponse> out) {
      calls.answer(
          "GetPublishedById",
          r,
          out,
          () -> {
            Article a = published.get(r.getId());
            if (a == null || a.getStatus() != PUBLISHED) {
              throw Status.NOT_FOUND
                  .withDescription("published article " + r.getId())
                  .asRuntimeException();
            }
            long author = a.getAuthor().getId();
            return GetPublishedByIdResponse.newBuilder()
                .setArticle(
                    a.toBuilder()
                        .setAuthor(
                            Author.newBuilder()
                                .setId(author)
                                .setName(authorNames.getOrDefault(author, ""))))
                .build();
          });
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    calls.close();
  }
}
