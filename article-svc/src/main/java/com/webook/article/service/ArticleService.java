package com.webook.article.service;

import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.Draft;
import com.webook.article.domain.PublishedArticle;
import com.webook.article.domain.PublishedSummary;
import com.webook.article.domain.ReadEvent;
import com.webook.article.domain.SanitizedContent;
import com.webook.article.repository.ArticleRepository;
import com.webook.article.repository.ReaderViews;
import com.webook.platform.errors.NotFoundException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The article rules of SPEC §5: drafts, publishing, withdrawing, the author's lists and views, the
 * reader view with its read event, and the published list for ranking. Content is sanitized here,
 * before anything stores it. Input shape (ids, lengths, page bounds) is checked by the exposure
 * layer; ownership by the database ({@link ArticleRepository}). Thread-safe.
 */
public final class ArticleService {
  private final ArticleRepository articles;
  private final ReaderViews readers;
  private final ContentSanitizer sanitizer;
  private final ReadEvents events;
  private final Clock clock;

  public ArticleService(
      ArticleRepository articles,
      ReaderViews readers,
      ContentSanitizer sanitizer,
      ReadEvents events,
      Clock clock) {
    this.articles = articles;
    this.readers = readers;
    this.sanitizer = sanitizer;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Saves a draft (status 1): creates it when {@code draft.isNew()}, else updates the author's own
   * article; the readers' copy of a published article is untouched.
   *
   * @return the article's id
   * @throws NotFoundException when the id is absent or someone else's
   */
  public long save(Draft draft) {
    SanitizedContent content = sanitizer.sanitize(draft.content());
    Instant now = clock.instant();
    if (draft.isNew()) {
      return articles.createDraft(draft, content, now).id();
    }
    return articles.updateDraft(draft, content, now).orElseThrow(() -> notYours(draft.id())).id();
  }

  /**
   * Publishes (status 2 in both tables, one transaction), then puts the new reader view in the
   * cache.
   *
   * @return the article's id
   * @throws NotFoundException when the id is absent or someone else's
   */
  public long publish(Draft draft) {
    SanitizedContent content = sanitizer.sanitize(draft.content());
    Article published =
        articles.publish(draft, content, clock.instant()).orElseThrow(() -> notYours(draft.id()));
    // After the commit: the author name comes from user-svc, never from inside the transaction.
    readers.published(published);
    return published.id();
  }

  /**
   * Makes the author's article private (status 3 in both tables, one transaction).
   *
   * @throws NotFoundException when the id is absent or someone else's
   */
  public void withdraw(long authorId, long id) {
    Article withdrawn =
        articles.withdraw(id, authorId, clock.instant()).orElseThrow(() -> notYours(id));
    readers.withdrawn(id, withdrawn.utime().toEpochMilli());
  }

  /** The author's articles, newest change first, with abstracts instead of contents. */
  public List<ArticleSummary> list(long authorId, int offset, int limit) {
    return articles.listByAuthor(authorId, offset, limit);
  }

  /**
   * The author view of one article. The RPC carries no caller (SPEC §3), so callers check that the
   * author is who asks.
   *
   * @throws NotFoundException when there is no such article
   */
  public Article getById(long id) {
    return articles
        .findById(id)
        .orElseThrow(() -> new NotFoundException("article " + id + " not found"));
  }

  /**
   * The reader view of a published article, and a read event for {@code uid} (0: anonymous) that is
   * queued, never waited for.
   *
   * @throws NotFoundException when readers cannot see the article
   */
  public PublishedArticle getPublishedById(long id, long uid) {
    PublishedArticle view =
        readers
            .find(id)
            .orElseThrow(() -> new NotFoundException("article " + id + " is not published"));
    events.emit(new ReadEvent(uid, id));
    return view;
  }

  /** SPEC §5.4: published articles changed at or before {@code before}, newest first. */
  public List<PublishedSummary> listPublished(Instant before, int offset, int limit) {
    return readers.listPublished(before, offset, limit);
  }

  private static NotFoundException notYours(long id) {
    // Absent and someone else's answer alike: existence of others' drafts must not leak.
    return new NotFoundException("article " + id + " not found");
  }
}
