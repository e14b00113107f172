package com.webook.article;

import static com.webook.article.ArticleServiceIT.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.api.article.v1.Article;
import com.webook.api.article.v1.ArticleServiceGrpc.ArticleServiceBlockingStub;
import com.webook.api.article.v1.Author;
import com.webook.api.article.v1.GetByIdRequest;
import com.webook.api.article.v1.GetPublishedByIdRequest;
import com.webook.api.article.v1.ListRequest;
import com.webook.api.article.v1.PublishRequest;
import com.webook.api.article.v1.SaveRequest;
import com.webook.api.article.v1.WithdrawRequest;
import com.webook.article.repository.cache.ArticleCacheConfig;
import com.webook.article.repository.cache.VersionedCache;
import com.webook.article.testing.ArticleStack;
import com.webook.testsupport.ThrowawayRedis;
import io.grpc.Status;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The caches of SPEC §5.2 on the real Redis: every write is visible to the next read, a stale
 * write-back loses, a first page's newest article is pre-cached, every key lives its configured
 * TTL, hot misses load once, absent ids are cached, and with Redis gone the database answers every
 * read and write.
 */
class ArticleCacheIT {
  private static final AtomicLong AUTHORS =
      new AtomicLong(3_000_000L + ThreadLocalRandom.current().nextInt(1_000_000));
  private static ArticleStack stack;

  @BeforeAll
  static void start() {
    stack = ArticleStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static long author() {
    long uid = AUTHORS.incrementAndGet();
    stack.users.nickname(uid, "author-" + uid);
    return uid;
  }

  private static Article draft(long id, long author, String title) {
    return Article.newBuilder()
        .setId(id)
        .setTitle(title)
        .setContent("<p>" + title + "</p>")
        .setAuthor(Author.newBuilder().setId(author))
        .build();
  }

  private static long save(ArticleServiceBlockingStub s, long id, long author, String title) {
    return s.save(SaveRequest.newBuilder().setArticle(draft(id, author, title)).build()).getId();
  }

  private static long publish(ArticleServiceBlockingStub s, long id, long author, String title) {
    return s.publish(PublishRequest.newBuilder().setArticle(draft(id, author, title)).build())
        .getId();
  }

  private static String firstTitle(ArticleServiceBlockingStub s, long author) {
    return s.list(ListRequest.newBuilder().setAuthor(author).setLimit(10).build())
        .getArticles(0)
        .getTitle();
  }

  private static String detailTitle(ArticleServiceBlockingStub s, long id) {
    return s.getById(GetByIdRequest.newBuilder().setId(id).build()).getArticle().getTitle();
  }

  private static String readerTitle(ArticleServiceBlockingStub s, long id) {
    return s.getPublishedById(GetPublishedByIdRequest.newBuilder().setId(id).build())
        .getArticle()
        .getTitle();
  }

  private static String key(String name) {
    return stack.cacheNamespace + name;
  }

  @Test
  void afterEveryWriteTheNextReadReturnsTheNewStateFromEachCache() {
    ArticleServiceBlockingStub s = stack.articles();
    RedisCommands<String, String> redis = stack.redis.connection().sync();
    long author = author();
    long id = save(s, 0, author, "v1");

    // Fill the first page and the detail, and see them cached.
    assertThat(firstTitle(s, author)).isEqualTo("v1");
    assertThat(detailTitle(s, id)).isEqualTo("v1");
    assertThat(redis.get(key("article:first_page:" + author))).contains("\"v1\"");
    assertThat(redis.get(key("article:detail:" + id))).contains("\"v1\"");

    save(s, id, author, "v2");
    assertThat(firstTitle(s, author)).isEqualTo("v2");
    assertThat(detailTitle(s, id)).isEqualTo("v2");

    publish(s, id, author, "v3");
    assertThat(firstTitle(s, author)).isEqualTo("v3");
    assertThat(detailTitle(s, id)).isEqualTo("v3");
    assertThat(redis.get(key("article:pub:" + id))).contains("\"v3\""); // written on publish
    assertThat(readerTitle(s, id)).isEqualTo("v3");

    publish(s, id, author, "v4");
    assertThat(readerTitle(s, id)).isEqualTo("v4");

    s.withdraw(WithdrawRequest.newBuilder().setUid(author).setId(id).build());
    assertThat(codeOf(() -> readerTitle(s, id))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(s.getById(GetByIdRequest.newBuilder().setId(id).build()).getArticle().getStatus())
        .isEqualTo(3);
    assertThat(
            s.list(ListRequest.newBuilder().setAuthor(author).setLimit(10).build())
                .getArticles(0)
                .getStatus())
        .isEqualTo(3);

    publish(s, id, author, "v5");
    assertThat(readerTitle(s, id)).isEqualTo("v5");
  }

  /** Fails unless {@code name} holds a value (not a floor or marker) living at most {@code ttl}. */
  private static void assertCachedFor(String name, Duration ttl) {
    String k = key(name);
    assertThat(new VersionedCache(stack.redis.connection()).get(k))
        .as(name)
        .isInstanceOf(VersionedCache.Lookup.Hit.class);
    assertThat(stack.redis.connection().sync().pttl(k))
        .as("pttl of %s (configured %s)", name, ttl)
        .isBetween(1L, ttl.toMillis());
  }

  @Test
  void aFirstPageMissPrecachesTheNewestArticlesAuthorViewInTheBackground() {
    ArticleServiceBlockingStub s = stack.articles();
    VersionedCache cache = new VersionedCache(stack.redis.connection());
    long author = author();
    long older = save(s, 0, author, "older");
    long newest = save(s, 0, author, "newest");
    String newestKey = key("article:detail:" + newest);
    // The saves left floors: nothing to read yet.
    assertThat(cache.get(newestKey)).isInstanceOf(VersionedCache.Lookup.Miss.class);

    assertThat(firstTitle(s, author)).isEqualTo("newest"); // a miss: loads the page
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cache.get(newestKey))
                    .isInstanceOfSatisfying(
                        VersionedCache.Lookup.Hit.class,
                        hit -> assertThat(hit.body()).contains("\"newest\"")));
    assertCachedFor("article:detail:" + newest, stack.config.cache().detailTtl());
    // Only the first item.
    assertThat(cache.get(key("article:detail:" + older)))
        .isInstanceOf(VersionedCache.Lookup.Miss.class);
    // The author opening it next is served from the cache.
    double hits = stack.counter("cache.gets", "cache", "detail", "result", "hit");
    assertThat(detailTitle(s, newest)).isEqualTo("newest");
    assertThat(stack.counter("cache.gets", "cache", "detail", "result", "hit")).isEqualTo(hits + 1);
  }

  @Test
  void eachCacheKeyLivesItsConfiguredTtl() {
    ArticleServiceBlockingStub s = stack.articles();
    ArticleCacheConfig ttls = stack.config.cache();
    long author = author();
    long id = publish(s, 0, author, "ttl");
    assertCachedFor("article:pub:" + id, ttls.readerViewTtl()); // written on publish

    assertThat(firstTitle(s, author)).isEqualTo("ttl");
    assertCachedFor("article:first_page:" + author, ttls.firstPageTtl());

    assertThat(detailTitle(s, id)).isEqualTo("ttl");
    assertCachedFor("article:detail:" + id, ttls.detailTtl());

    stack.redis.connection().sync().del(key("article:pub:" + id));
    assertThat(readerTitle(s, id)).isEqualTo("ttl");
    assertCachedFor("article:pub:" + id, ttls.readerViewTtl()); // written back on a miss
  }

  @Test
  void aStaleWriteBackNeverReplacesANewerVersion() {
    VersionedCache cache = new VersionedCache(stack.redis.connection());
    String k = key("versioned:" + ThreadLocalRandom.current().nextLong());
    Duration ttl = Duration.ofMinutes(1);
    assertThat(cache.put(k, 10, "ten", ttl)).isTrue();
    assertThat(cache.put(k, 5, "five", ttl)).isFalse(); // a slow reader with an old row
    assertThat(cache.get(k)).isEqualTo(new VersionedCache.Lookup.Hit("ten", 10));
    assertThat(cache.put(k, 10, "ten again", ttl)).isTrue(); // the same version may refresh
    assertThat(cache.putFloor(k, 20, ttl)).isTrue(); // a write at 20 invalidates
    assertThat(cache.get(k)).isEqualTo(new VersionedCache.Lookup.Miss());
    assertThat(cache.put(k, 15, "fifteen", ttl)).isFalse(); // loaded before the write: refused
    assertThat(cache.get(k)).isEqualTo(new VersionedCache.Lookup.Miss());
    assertThat(cache.put(k, 20, "twenty", ttl)).isTrue(); // loaded after it
    assertThat(cache.get(k)).isEqualTo(new VersionedCache.Lookup.Hit("twenty", 20));
    assertThat(cache.putAbsent(k, 30, ttl)).isTrue();
    assertThat(cache.get(k)).isEqualTo(new VersionedCache.Lookup.Absent(30));
    assertThat(stack.redis.connection().sync().pttl(k)).isBetween(1L, 60_000L);
  }

  @Test
  void concurrentMissesOfAHotArticleLoadTheDatabaseOnce() throws Exception {
    ArticleServiceBlockingStub s = stack.articles();
    long id = publish(s, 0, author(), "hot");
    stack.redis.connection().sync().del(key("article:pub:" + id));
    int loadsBefore = stack.dao.readerRowLoads();
    CountDownLatch release = new CountDownLatch(1);
    stack.dao.holdReaderRowLoads(release);
    int readers = 30;
    try (ExecutorService pool = Executors.newFixedThreadPool(readers)) {
      List<Future<String>> reads = new ArrayList<>();
      for (int i = 0; i < readers; i++) {
        reads.add(pool.submit(() -> readerTitle(s, id)));
      }
      // One reader is in the database; the 29 others wait for its load.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  stack.dao.readerRowLoads() - loadsBefore == 1
                      && stack.metrics().get("cache.load.waiting").gauge().value() == readers - 1);
      stack.dao.release();
      for (Future<String> r : reads) {
        assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo("hot");
      }
    } finally {
      stack.dao.release();
    }
    assertThat(stack.dao.readerRowLoads() - loadsBefore).isEqualTo(1);
    // The load filled the cache: the next read costs no query.
    assertThat(readerTitle(s, id)).isEqualTo("hot");
    assertThat(stack.dao.readerRowLoads() - loadsBefore).isEqualTo(1);
  }

  @Test
  void unknownAndUnpublishedIdsAreCachedAsAbsent() {
    ArticleServiceBlockingStub s = stack.articles();
    long unknown = 9_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
    long draft = save(s, 0, author(), "draft");
    for (long id : new long[] {unknown, draft}) {
      int before = stack.dao.readerRowLoads();
      assertThat(codeOf(() -> readerTitle(s, id))).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(codeOf(() -> readerTitle(s, id))).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(codeOf(() -> readerTitle(s, id))).isEqualTo(Status.Code.NOT_FOUND);
      assertThat(stack.dao.readerRowLoads() - before).as("database loads for %d", id).isEqualTo(1);
      assertThat(stack.redis.connection().sync().pttl(key("article:pub:" + id)))
          .isBetween(1L, stack.config.cache().absentTtl().toMillis());
    }
    assertThat(stack.counter("cache.gets", "cache", "reader_view", "result", "absent"))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  void withRedisGoneEveryReadAndWriteIsServedFromTheDatabaseAndTheFailuresAreCounted() {
    try (ThrowawayRedis redis = ThrowawayRedis.start();
        ArticleStack own =
            ArticleStack.start(
                Map.of("WEBOOK_REDIS_URL", redis.url(), "WEBOOK_REDIS_COMMAND_TIMEOUT", "500ms"))) {
      long author = 77;
      own.users.nickname(author, "offline");
      ArticleServiceBlockingStub s = own.articles();
      long id = save(s, 0, author, "before");
      assertThat(firstTitle(s, author)).isEqualTo("before");

      redis.kill();

      save(s, id, author, "during");
      assertThat(firstTitle(s, author)).isEqualTo("during");
      assertThat(detailTitle(s, id)).isEqualTo("during");
      publish(s, id, author, "published");
      assertThat(readerTitle(s, id)).isEqualTo("published");
      long second = publish(s, 0, author, "second");
      assertThat(readerTitle(s, second)).isEqualTo("second");
      s.withdraw(WithdrawRequest.newBuilder().setUid(author).setId(second).build());
      assertThat(codeOf(() -> readerTitle(s, second))).isEqualTo(Status.Code.NOT_FOUND);

      assertThat(own.counter("cache.failures")).isPositive();
      assertThat(own.counter("cache.gets", "result", "error")).isPositive();
    }
  }
}
