package com.webook.article.repository.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.PublishedArticle;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * article-svc's three caches (SPEC §5.2) over {@link VersionedCache}:
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><th>key</th><th>value</th><th>version</th></tr>
 *   <tr><td>{@code article:first_page:<uid>}</td><td>the author's newest articles (abstracts, no
 *       content)</td><td>the newest utime in the list</td></tr>
 *   <tr><td>{@code article:detail:<id>}</td><td>the author view</td><td>its utime</td></tr>
 *   <tr><td>{@code article:pub:<id>}</td><td>the reader view with the author's name, or "absent"
 *       (never published, withdrawn, unknown id)</td><td>its utime (0 for an unknown id)</td></tr>
 * </table>
 *
 * Redis failures are thrown to the caller; a value that cannot be decoded counts as a miss and is
 * metered ({@code cache.decode.failures}). Thread-safe.
 */
public final class ArticleCache {
  private static final Logger log = LoggerFactory.getLogger(ArticleCache.class);

  private final VersionedCache redis;
  private final ArticleJson json = new ArticleJson();
  private final ArticleCacheConfig config;
  private final String firstPagePrefix;
  private final String detailPrefix;
  private final String readerPrefix;
  private final MeterRegistry metrics;

  public ArticleCache(
      StatefulRedisConnection<String, String> connection,
      ArticleCacheConfig config,
      MeterRegistry metrics) {
    this.redis = new VersionedCache(connection);
    this.config = config;
    this.firstPagePrefix = config.keyNamespace() + "article:first_page:";
    this.detailPrefix = config.keyNamespace() + "article:detail:";
    this.readerPrefix = config.keyNamespace() + "article:pub:";
    this.metrics = metrics;
  }

  public String firstPageKey(long authorId) {
    return firstPagePrefix + authorId;
  }

  public String detailKey(long id) {
    return detailPrefix + id;
  }

  public String readerViewKey(long id) {
    return readerPrefix + id;
  }

  // --- the author's first page

  public Cached<List<ArticleSummary>> firstPage(long authorId) {
    String key = firstPageKey(authorId);
    return switch (redis.get(key)) {
      case VersionedCache.Lookup.Hit hit -> decode(key, "first_page", hit.body(), json::summaries);
      default -> new Cached.Miss<>();
    };
  }

  /** Caches the first page; its version is its newest utime (0 for an author without articles). */
  public void putFirstPage(long authorId, List<ArticleSummary> page) {
    long version = page.isEmpty() ? 0 : newest(page);
    redis.put(firstPageKey(authorId), version, json.summaries(page), config.firstPageTtl());
  }

  public void invalidateFirstPage(long authorId, long version) {
    redis.putFloor(firstPageKey(authorId), version, config.absentTtl());
  }

  // --- the author view

  public Cached<Article> detail(long id) {
    String key = detailKey(id);
    return switch (redis.get(key)) {
      case VersionedCache.Lookup.Hit hit -> decode(key, "detail", hit.body(), json::article);
      default -> new Cached.Miss<>();
    };
  }

  public void putDetail(Article article) {
    redis.put(
        detailKey(article.id()),
        article.utime().toEpochMilli(),
        json.article(article),
        config.detailTtl());
  }

  public void invalidateDetail(long id, long version) {
    redis.putFloor(detailKey(id), version, config.absentTtl());
  }

  // --- the reader view

  public Cached<PublishedArticle> readerView(long id) {
    String key = readerViewKey(id);
    return switch (redis.get(key)) {
      case VersionedCache.Lookup.Hit hit -> decode(key, "reader_view", hit.body(), json::view);
      case VersionedCache.Lookup.Absent absent -> new Cached.Absent<>();
      case VersionedCache.Lookup.Miss miss -> new Cached.Miss<>();
    };
  }

  /** Caches a reader view (unless a newer version is there); true when it was written. */
  public boolean putReaderView(PublishedArticle view) {
    return redis.put(
        readerViewKey(view.article().id()),
        view.article().utime().toEpochMilli(),
        json.view(view),
        config.readerViewTtl());
  }

  /** "Readers find nothing here" at {@code version}: an unknown id (0) or a withdrawn article. */
  public void putReaderViewAbsent(long id, long version) {
    redis.putAbsent(readerViewKey(id), version, config.absentTtl());
  }

  public void invalidateReaderView(long id, long version) {
    redis.putFloor(readerViewKey(id), version, config.absentTtl());
  }

  private interface Decoder<T> {
    T decode(String body) throws JsonProcessingException;
  }

  private <T> Cached<T> decode(String key, String cache, String body, Decoder<T> decoder) {
    try {
      return new Cached.Hit<>(decoder.decode(body));
    } catch (JsonProcessingException | RuntimeException e) {
      Counter.builder("cache.decode.failures")
          .tag("cache", cache)
          .description("cached values that could not be decoded and were treated as misses")
          .register(metrics)
          .increment();
      log.warn(
          "cached value at {} cannot be decoded; treating it as a miss ({})",
          key,
          e.getClass().getSimpleName());
      return new Cached.Miss<>();
    }
  }

  private static long newest(List<ArticleSummary> page) {
    long newest = 0;
    for (ArticleSummary s : page) {
      newest = Math.max(newest, s.utime().toEpochMilli());
    }
    return newest;
  }
}
