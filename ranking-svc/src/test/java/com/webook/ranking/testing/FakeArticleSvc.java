package com.webook.ranking.testing;

import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.ListPubRequest;
import com.webook.api.article.v1.ListPubResponse;
import com.webook.platform.grpc.ProtoTimestamps;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * article-svc's {@code ListPub} over articles the test publishes: changed at or before {@code
 * start_time}, newest first (utime desc, id desc), offset/limit — what article-svc answers. The
 * other methods answer UNIMPLEMENTED. Thread-safe.
 */
public final class FakeArticleSvc extends FakeSource {
  private final List<Article> articles = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Integer> offsets = new CopyOnWriteArrayList<>();

  public FakeArticleSvc(String etcdNamespace) {
    this(etcdNamespace, new Impl());
  }

  private FakeArticleSvc(String etcdNamespace, Impl impl) {
    super("article", etcdNamespace, impl);
    impl.owner = this;
  }

  public FakeArticleSvc publish(long id, Instant utime) {
    articles.add(
        Article.newBuilder()
            .setId(id)
            .setTitle("title " + id)
            .setAbstract("abstract " + id)
            .setStatus(2)
            .setAuthor(Author.newBuilder().setId(1000 + id).setName("author " + id))
            .setUtime(ProtoTimestamps.toTimestamp(utime))
            .build());
    return this;
  }

  /** How many ListPub calls asked for the first page: one per computation. */
  public long firstPages() {
    return offsets.stream().filter(o -> o == 0).count();
  }

  private static final class Impl extends ArticleServiceGrpc.ArticleServiceImplBase {
    private volatile FakeArticleSvc owner;

    @Override
    public void listPub(ListPubRequest request, StreamObserver<ListPubResponse> out) {
      // Recorded on arrival, before the scripted delay: a test that sees a first page asked for
      // knows a run is in progress (and stays so for the delay).
      owner.offsets.add(request.getOffset());
      owner.enter();
      Instant before = ProtoTimestamps.toInstant(request.getStartTime());
      List<Article> page =
          owner.articles.stream()
              .filter(a -> !ProtoTimestamps.toInstant(a.getUtime()).isAfter(before))
              .sorted(
                  Comparator.comparing((Article a) -> ProtoTimestamps.toInstant(a.getUtime()))
                      .thenComparingLong(Article::getId)
                      .reversed())
              .skip(request.getOffset())
              .limit(request.getLimit())
              .toList();
      out.onNext(ListPubResponse.newBuilder().addAllArticles(page).build());
      out.onCompleted();
    }
  }
}
