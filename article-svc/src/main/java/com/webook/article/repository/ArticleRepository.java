package com.webook.article.repository;

import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleStatus;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.Draft;
import com.webook.article.domain.SanitizedContent;
import com.webook.article.repository.cache.ArticleCache;
import com.webook.article.repository.cache.Cached;
import com.webook.article.repository.dao.ArticleDao;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The author's side of articles: the database through {@link ArticleDao}, with the first-page and
 * detail caches in front (SPEC §5.2), cache-aside with versioned invalidation:
 *
 * <ul>
 *   <li><b>Reads</b> try Redis, then the database, and write the result back. A Redis failure is
 *       counted and the database answers; no write-back is tried then.
 *   <li><b>Writes</b> commit first; then every cache the write makes stale gets a <em>floor</em> at
 *       the write's utime (the key reads as a miss, and a write-back older than the write is
 *       refused), so the next read returns the new state even when a slower read of the old state
 *       finishes later. A cache failure after the commit is counted and logged, never reported to
 *       the caller: the write happened. The reader view is {@link ReaderViews}'s business.
 *   <li>The first page (offset 0, limit ≤ {@value #FIRST_PAGE}) is cached whole, {@value
 *       #FIRST_PAGE} items, whatever limit asked; a miss also pre-caches the newest article's
 *       author view in the background (the author usually opens it next).
 * </ul>
 *
 * Thread-safe.
 */
public final class ArticleRepository {
  private static final Logger log = LoggerFactory.getLogger(ArticleRepository.class);

  /** SPEC §5.2: the cached first page holds this many articles. */
  public static final int FIRST_PAGE = 100;

  private final ArticleDao dao;
  private final ArticleCache cache;
  private final Executor background;
  private final CacheCalls calls;
  private final CacheGets firstPageGets;
  private final CacheGets detailGets;

  /**
   * @param background runs the pre-caching of a first page's newest article (owned by the
   *     composition root)
   */
  public ArticleRepository(
      ArticleDao dao, ArticleCache cache, Executor background, MeterRegistry metrics) {
    this.dao = dao;
    this.cache = cache;
    this.background = background;
    this.calls = new CacheCalls(log, metrics);
    this.firstPageGets = new CacheGets("first_page", metrics);
    this.detailGets = new CacheGets("detail", metrics);
  }

  /** A new draft (status 1). */
  public Article createDraft(Draft draft, SanitizedContent content, Instant now) {
    Article saved = dao.insert(draft, content, ArticleStatus.UNPUBLISHED, now);
    afterAuthorWrite(saved);
    return saved;
  }

  /** The author's own article back to a draft with new text; empty when absent or not theirs. */
  public Optional<Article> updateDraft(Draft draft, SanitizedContent content, Instant now) {
    Optional<Article> saved = dao.updateOwn(draft, content, ArticleStatus.UNPUBLISHED, now);
    saved.ifPresent(this::afterAuthorWrite);
    return saved;
  }

  /** Publishes (see {@link ArticleDao#publish}); the reader row as committed, or empty. */
  public Optional<Article> publish(Draft draft, SanitizedContent content, Instant now) {
    Optional<Article> published = dao.publish(draft, content, now);
    published.ifPresent(this::afterAuthorWrite);
    return published;
  }

  /** Withdraws (see {@link ArticleDao#withdraw}); the author row as committed, or empty. */
  public Optional<Article> withdraw(long id, long authorId, Instant now) {
    Optional<Article> withdrawn = dao.withdraw(id, authorId, now);
    withdrawn.ifPresent(this::afterAuthorWrite);
    return withdrawn;
  }

  /** The author's articles, newest change first. */
  public List<ArticleSummary> listByAuthor(long authorId, int offset, int limit) {
    if (offset != 0 || limit > FIRST_PAGE) {
      return dao.listByAuthor(authorId, offset, limit);
    }
    Cached<List<ArticleSummary>> cached =
        calls.lookup(firstPageGets, () -> cache.firstPage(authorId));
    if (cached instanceof Cached.Hit<List<ArticleSummary>> hit) {
      return head(hit.value(), limit);
    }
    List<ArticleSummary> page = dao.listByAuthor(authorId, 0, FIRST_PAGE);
    if (cached instanceof Cached.Miss) {
      calls.quietly("first_page", "put", () -> cache.putFirstPage(authorId, page));
      if (!page.isEmpty()) {
        long newest = page.getFirst().id();
        background.execute(() -> precacheDetail(newest));
      }
    }
    return head(page, limit);
  }

  /** One article's author view, whoever wrote it (callers check the author). */
  public Optional<Article> findById(long id) {
    Cached<Article> cached = calls.lookup(detailGets, () -> cache.detail(id));
    if (cached instanceof Cached.Hit<Article> hit) {
      return Optional.of(hit.value());
    }
    Optional<Article> article = dao.findById(id);
    if (cached instanceof Cached.Miss && article.isPresent()) {
      calls.quietly("detail", "put", () -> cache.putDetail(article.get()));
    }
    return article;
  }

  private void afterAuthorWrite(Article written) {
    long version = written.utime().toEpochMilli();
    calls.quietly("detail", "invalidate", () -> cache.invalidateDetail(written.id(), version));
    calls.quietly(
        "first_page", "invalidate", () -> cache.invalidateFirstPage(written.authorId(), version));
  }

  private void precacheDetail(long id) {
    try {
      if (cache.detail(id) instanceof Cached.Miss) {
        dao.findById(id).ifPresent(cache::putDetail);
      }
    } catch (RuntimeException e) {
      calls.record("detail", "precache", e);
    }
  }

  private static List<ArticleSummary> head(List<ArticleSummary> page, int limit) {
    return page.size() <= limit ? page : List.copyOf(page.subList(0, limit));
  }
}
