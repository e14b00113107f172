package com.webook.article.repository;

import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleStatus;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.PublishedArticle;
import com.webook.article.domain.PublishedSummary;
import com.webook.article.repository.cache.ArticleCache;
import com.webook.article.repository.cache.Cached;
import com.webook.article.repository.dao.ArticleDao;
import com.webook.platform.cache.SingleFlight;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The readers' side (SPEC §5.3, §5.4): the reader view {@code article:pub:<id>} — Redis, then the
 * readers' table (status 2 only) and the author's name from user-svc, then Redis again — and the
 * published lists ranking reads.
 *
 * <ul>
 *   <li><b>Hot keys</b>: concurrent misses of one id load once per instance ({@link SingleFlight});
 *       the others wait for that load.
 *   <li><b>Penetration</b>: an id readers cannot see (unknown, draft, withdrawn) is cached as
 *       "absent" for {@code cache.absentTtl}, so scanning ids or re-reading a withdrawn article
 *       costs Redis, not the database.
 *   <li><b>Writes</b>: a publish writes the new view (version = its utime) once committed; a
 *       withdrawal writes "absent" at the withdrawal's utime. A reader that loaded the old state
 *       before the write cannot put it back: its version is older (see {@code VersionedCache}).
 *   <li><b>user-svc failing</b>: the view is served with an empty author name, counted ({@code
 *       article.author.lookup.failures}), and not cached, so the name appears once user-svc answers
 *       again.
 *   <li><b>Redis failing</b>: reads go to the database (still single-flight per id), nothing is
 *       written back; failures are counted ({@code cache.failures}, {@code
 *       cache.gets{result=error}}).
 * </ul>
 *
 * Never calls user-svc inside a transaction (it holds none). Thread-safe.
 */
public final class ReaderViews {
  private static final Logger log = LoggerFactory.getLogger(ReaderViews.class);
  private static final String CACHE = "reader_view";

  private final ArticleDao dao;
  private final ArticleCache cache;
  private final AuthorNames authors;
  private final SingleFlight<Long, Optional<PublishedArticle>> loads = new SingleFlight<>();
  private final CacheCalls calls;
  private final CacheGets gets;
  private final Counter dbLoads;
  private final Counter sharedLoads;
  private final Counter authorFailures;
  private final LogThrottle authorWarnings = new LogThrottle(Duration.ofSeconds(10));

  public ReaderViews(
      ArticleDao dao, ArticleCache cache, AuthorNames authors, MeterRegistry metrics) {
    this.dao = dao;
    this.cache = cache;
    this.authors = authors;
    this.calls = new CacheCalls(log, metrics);
    this.gets = new CacheGets(CACHE, metrics);
    this.dbLoads =
        Counter.builder("cache.db.loads")
            .tag("cache", CACHE)
            .description("database queries made because of cache misses or cache errors")
            .register(metrics);
    this.sharedLoads =
        Counter.builder("cache.load.shared")
            .tag("cache", CACHE)
            .description(
                "reads that waited for another caller's load of the same key (single-flight)")
            .register(metrics);
    Gauge.builder("cache.load.waiting", loads, SingleFlight::waiting)
        .tag("cache", CACHE)
        .description("reads waiting right now for another caller's load of the same key")
        .register(metrics);
    this.authorFailures =
        Counter.builder("article.author.lookup.failures")
            .description("author names user-svc could not give; the article was served without")
            .register(metrics);
  }

  /** The published article {@code id} with its author's name, or empty if readers cannot see it. */
  public Optional<PublishedArticle> find(long id) {
    return switch (calls.lookup(gets, () -> cache.readerView(id))) {
      case Cached.Hit<PublishedArticle> hit -> Optional.of(hit.value());
      case Cached.Absent<PublishedArticle> absent -> Optional.empty();
      case Cached.Miss<PublishedArticle> miss -> sharedLoad(id, true);
      case Cached.Unavailable<PublishedArticle> down -> sharedLoad(id, false);
    };
  }

  /** After a publish committed: the new view goes into the cache (or the old one is fenced off). */
  public void published(Article row) {
    long version = row.utime().toEpochMilli();
    Optional<String> name = authorName(row.authorId());
    if (name.isPresent()) {
      calls.quietly(CACHE, "put", () -> cache.putReaderView(new PublishedArticle(row, name.get())));
    } else {
      calls.quietly(CACHE, "invalidate", () -> cache.invalidateReaderView(row.id(), version));
    }
  }

  /** After a withdrawal committed: readers find nothing, and older views cannot come back. */
  public void withdrawn(long id, long version) {
    calls.quietly(CACHE, "put_absent", () -> cache.putReaderViewAbsent(id, version));
  }

  /**
   * SPEC §5.4 with the authors' names, fetched in one {@code BatchProfile} for the page (empty
   * names, counted, when user-svc cannot answer).
   */
  public List<PublishedSummary> listPublished(Instant before, int offset, int limit) {
    List<ArticleSummary> page = dao.listPublished(before, offset, limit);
    Set<Long> authorIds = new LinkedHashSet<>();
    for (ArticleSummary s : page) {
      authorIds.add(s.authorId());
    }
    Map<Long, String> names = Map.of();
    if (!authorIds.isEmpty()) {
      try {
        names = authors.namesOf(authorIds);
      } catch (RuntimeException e) {
        authorFailures.increment(authorIds.size());
        warnAuthors(e);
      }
    }
    List<PublishedSummary> result = new ArrayList<>(page.size());
    for (ArticleSummary s : page) {
      result.add(new PublishedSummary(s, names.getOrDefault(s.authorId(), "")));
    }
    return result;
  }

  private Optional<PublishedArticle> sharedLoad(long id, boolean writeBack) {
    SingleFlight.Loaded<Optional<PublishedArticle>> loaded =
        loads.load(id, () -> load(id, writeBack));
    if (loaded.role() == SingleFlight.Role.FOLLOWER) {
      sharedLoads.increment();
    }
    return loaded.value();
  }

  private Optional<PublishedArticle> load(long id, boolean writeBack) {
    dbLoads.increment();
    Optional<Article> row = dao.findReaderRow(id);
    if (row.isEmpty() || row.get().status() != ArticleStatus.PUBLISHED) {
      if (writeBack) {
        long version = row.map(a -> a.utime().toEpochMilli()).orElse(0L);
        calls.quietly(CACHE, "put_absent", () -> cache.putReaderViewAbsent(id, version));
      }
      return Optional.empty();
    }
    Article article = row.get();
    Optional<String> name = authorName(article.authorId());
    PublishedArticle view = new PublishedArticle(article, name.orElse(""));
    if (writeBack && name.isPresent()) {
      calls.quietly(CACHE, "put", () -> cache.putReaderView(view));
    }
    return Optional.of(view);
  }

  /** The author's name; empty when user-svc failed (an unknown author has the name ""). */
  private Optional<String> authorName(long authorId) {
    try {
      return Optional.of(authors.namesOf(List.of(authorId)).getOrDefault(authorId, ""));
    } catch (RuntimeException e) {
      authorFailures.increment();
      warnAuthors(e);
      return Optional.empty();
    }
  }

  private void warnAuthors(RuntimeException e) {
    if (authorWarnings.allow()) {
      log.warn(
          "author names unavailable from user-svc; serving articles without them ({}: {})",
          e.getClass().getSimpleName(),
          e.getMessage());
    }
  }
}
