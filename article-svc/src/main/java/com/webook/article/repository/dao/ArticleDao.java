package com.webook.article.repository.dao;

import static com.webook.article.repository.dao.jooq.Tables.ARTICLES;
import static com.webook.article.repository.dao.jooq.Tables.PUBLISHED_ARTICLES;

import com.webook.article.domain.Article;
import com.webook.article.domain.ArticleStatus;
import com.webook.article.domain.ArticleSummary;
import com.webook.article.domain.Draft;
import com.webook.article.domain.SanitizedContent;
import com.webook.article.repository.dao.jooq.tables.records.ArticlesRecord;
import com.webook.article.repository.dao.jooq.tables.records.PublishedArticlesRecord;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record7;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The author's table {@code articles} and the readers' table {@code published_articles} through
 * jOOQ's typed DSL (SPEC §5.1).
 *
 * <ul>
 *   <li><b>Ownership in SQL</b>: every change of an existing article is {@code UPDATE … WHERE id =
 *       ? AND author_id = ?}; no row changed means absent or someone else's — never a read first.
 *   <li><b>utime is a version</b>: every write sets {@code utime = GREATEST(now, utime + 1)}, so an
 *       article's utime strictly grows even when two instances' clocks disagree; the caches compare
 *       it to refuse stale write-backs.
 *   <li><b>Publish and withdraw are one transaction each</b> that changes the author row first (its
 *       row lock orders concurrent publishes and withdrawals of one article) and then the reader
 *       row to match, so both tables always agree. A transaction that loses a deadlock is retried.
 *   <li>Rows are read back inside the transaction that wrote them, so callers get what was
 *       committed (times included) without a second round of reads.
 * </ul>
 *
 * Thread-safe (stateless over a thread-safe {@link DSLContext}). Not final: tests wrap it.
 */
public class ArticleDao {
  /** MariaDB/InnoDB ER_LOCK_DEADLOCK: the transaction was rolled back and may simply run again. */
  private static final int ER_LOCK_DEADLOCK = 1213;

  private static final int MAX_TRANSACTION_ATTEMPTS = 3;

  private final DSLContext dsl;

  public ArticleDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Inserts a new article of {@code draft.authorId()} with {@code status}. */
  public Article insert(Draft draft, SanitizedContent content, ArticleStatus status, Instant now) {
    return insert(dsl, draft, content, status, now.toEpochMilli());
  }

  /**
   * Updates the author's own article and reads it back; empty when it is absent or someone else's.
   */
  public Optional<Article> updateOwn(
      Draft draft, SanitizedContent content, ArticleStatus status, Instant now) {
    return transaction(tx -> updateOwn(tx, draft, content, status, now.toEpochMilli()));
  }

  /**
   * One transaction: saves the author row with status PUBLISHED (inserting it when {@code
   * draft.isNew()}), then upserts the reader row with the same id and the same columns. Empty when
   * an existing id is absent or someone else's (nothing changed).
   *
   * @return the reader row as committed
   */
  public Optional<Article> publish(Draft draft, SanitizedContent content, Instant now) {
    long ms = now.toEpochMilli();
    return transaction(
        tx -> {
          Optional<Article> author =
              draft.isNew()
                  ? Optional.of(insert(tx, draft, content, ArticleStatus.PUBLISHED, ms))
                  : updateOwn(tx, draft, content, ArticleStatus.PUBLISHED, ms);
          author.ifPresent(a -> upsertReaderRow(tx, a));
          return author;
        });
  }

  /**
   * One transaction: the author's own article becomes PRIVATE, and so does its reader row if it was
   * ever published. Empty when the article is absent or someone else's (nothing changed).
   *
   * @return the author row as committed (its utime is the withdrawal's version)
   */
  public Optional<Article> withdraw(long id, long authorId, Instant now) {
    long ms = now.toEpochMilli();
    return transaction(
        tx -> {
          int changed =
              tx.update(ARTICLES)
                  .set(ARTICLES.STATUS, code(ArticleStatus.PRIVATE))
                  .set(ARTICLES.UTIME, nextUtime(ARTICLES.UTIME, ms))
                  .where(ARTICLES.ID.eq(id).and(ARTICLES.AUTHOR_ID.eq(authorId)))
                  .execute();
          if (changed == 0) {
            return Optional.empty();
          }
          Article author = fetchAuthorRow(tx, id);
          tx.update(PUBLISHED_ARTICLES)
              .set(PUBLISHED_ARTICLES.STATUS, code(ArticleStatus.PRIVATE))
              .set(PUBLISHED_ARTICLES.UTIME, author.utime().toEpochMilli())
              .where(PUBLISHED_ARTICLES.ID.eq(id))
              .execute();
          return Optional.of(author);
        });
  }

  /** The author's articles, newest change first (INDEX(author_id, utime)); no content. */
  public List<ArticleSummary> listByAuthor(long authorId, int offset, int limit) {
    return dsl.select(
            ARTICLES.ID,
            ARTICLES.TITLE,
            ARTICLES.ABSTRACT,
            ARTICLES.AUTHOR_ID,
            ARTICLES.STATUS,
            ARTICLES.CTIME,
            ARTICLES.UTIME)
        .from(ARTICLES)
        .where(ARTICLES.AUTHOR_ID.eq(authorId))
        .orderBy(ARTICLES.UTIME.desc(), ARTICLES.ID.desc())
        .offset(offset)
        .limit(limit)
        .fetch(ArticleDao::summary);
  }

  /** One article from the author's table, whoever wrote it. */
  public Optional<Article> findById(long id) {
    return dsl.selectFrom(ARTICLES)
        .where(ARTICLES.ID.eq(id))
        .fetchOptional()
        .map(ArticleDao::article);
  }

  /** One row of the readers' table in whatever status it is (callers show status 2 only). */
  public Optional<Article> findReaderRow(long id) {
    return dsl.selectFrom(PUBLISHED_ARTICLES)
        .where(PUBLISHED_ARTICLES.ID.eq(id))
        .fetchOptional()
        // Both tables have the same columns: one mapping, by column name.
        .map(r -> article(r.into(ARTICLES)));
  }

  /**
   * SPEC §5.4: published articles changed at or before {@code before}, newest first (INDEX(status,
   * utime)); no content.
   */
  public List<ArticleSummary> listPublished(Instant before, int offset, int limit) {
    return dsl.select(
            PUBLISHED_ARTICLES.ID,
            PUBLISHED_ARTICLES.TITLE,
            PUBLISHED_ARTICLES.ABSTRACT,
            PUBLISHED_ARTICLES.AUTHOR_ID,
            PUBLISHED_ARTICLES.STATUS,
            PUBLISHED_ARTICLES.CTIME,
            PUBLISHED_ARTICLES.UTIME)
        .from(PUBLISHED_ARTICLES)
        .where(
            PUBLISHED_ARTICLES
                .STATUS
                .eq(code(ArticleStatus.PUBLISHED))
                .and(PUBLISHED_ARTICLES.UTIME.le(before.toEpochMilli())))
        .orderBy(PUBLISHED_ARTICLES.UTIME.desc(), PUBLISHED_ARTICLES.ID.desc())
        .offset(offset)
        .limit(limit)
        .fetch(ArticleDao::summary);
  }

  private static Article insert(
      DSLContext tx, Draft draft, SanitizedContent content, ArticleStatus status, long ms) {
    long id =
        tx.insertInto(ARTICLES)
            .set(ARTICLES.TITLE, draft.title())
            .set(ARTICLES.CONTENT, content.html())
            .set(ARTICLES.ABSTRACT, content.abstractText())
            .set(ARTICLES.AUTHOR_ID, draft.authorId())
            .set(ARTICLES.STATUS, code(status))
            .set(ARTICLES.CTIME, ms)
            .set(ARTICLES.UTIME, ms)
            .returningResult(ARTICLES.ID)
            .fetchSingle()
            .value1();
    Instant at = Instant.ofEpochMilli(ms);
    return new Article(
        id,
        draft.title(),
        content.html(),
        content.abstractText(),
        draft.authorId(),
        status,
        at,
        at);
  }

  private static Optional<Article> updateOwn(
      DSLContext tx, Draft draft, SanitizedContent content, ArticleStatus status, long ms) {
    int changed =
        tx.update(ARTICLES)
            .set(ARTICLES.TITLE, draft.title())
            .set(ARTICLES.CONTENT, content.html())
            .set(ARTICLES.ABSTRACT, content.abstractText())
            .set(ARTICLES.STATUS, code(status))
            .set(ARTICLES.UTIME, nextUtime(ARTICLES.UTIME, ms))
            .where(ARTICLES.ID.eq(draft.id()).and(ARTICLES.AUTHOR_ID.eq(draft.authorId())))
            .execute();
    return changed == 0 ? Optional.empty() : Optional.of(fetchAuthorRow(tx, draft.id()));
  }

  /** Copies the author row, as this transaction left it, into the readers' table. */
  private static void upsertReaderRow(DSLContext tx, Article a) {
    PublishedArticlesRecord row = tx.newRecord(PUBLISHED_ARTICLES);
    row.setId(a.id());
    row.setTitle(a.title());
    row.setContent(a.content());
    row.setAbstract(a.abstractText());
    row.setAuthorId(a.authorId());
    row.setStatus(code(a.status()));
    row.setCtime(a.ctime().toEpochMilli());
    row.setUtime(a.utime().toEpochMilli());
    tx.insertInto(PUBLISHED_ARTICLES)
        .set(row)
        .onDuplicateKeyUpdate()
        .set(PUBLISHED_ARTICLES.TITLE, a.title())
        .set(PUBLISHED_ARTICLES.CONTENT, a.content())
        .set(PUBLISHED_ARTICLES.ABSTRACT, a.abstractText())
        .set(PUBLISHED_ARTICLES.STATUS, code(a.status()))
        .set(PUBLISHED_ARTICLES.UTIME, a.utime().toEpochMilli())
        .execute();
  }

  private static Article fetchAuthorRow(DSLContext tx, long id) {
    return article(tx.selectFrom(ARTICLES).where(ARTICLES.ID.eq(id)).fetchSingle());
  }

  /** {@code GREATEST(now, utime + 1)}: strictly later than the previous version. */
  private static Field<Long> nextUtime(Field<Long> utime, long ms) {
    return DSL.greatest(DSL.val(ms), utime.plus(1L));
  }

  /** Runs {@code work} in a transaction; a transaction that lost a deadlock runs again. */
  private <T> T transaction(Function<DSLContext, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return dsl.transactionResult(cfg -> work.apply(cfg.dsl()));
      } catch (DataAccessException e) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isDeadlock(e)) {
          throw e;
        }
      }
    }
  }

  private static boolean isDeadlock(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return sql != null
        && (sql.getErrorCode() == ER_LOCK_DEADLOCK || "40001".equals(sql.getSQLState()));
  }

  private static Byte code(ArticleStatus status) {
    return (byte) status.code();
  }

  private static Article article(ArticlesRecord r) {
    return new Article(
        r.getId(),
        r.getTitle(),
        r.getContent(),
        r.getAbstract(),
        r.getAuthorId(),
        ArticleStatus.of(r.getStatus()),
        Instant.ofEpochMilli(r.getCtime()),
        Instant.ofEpochMilli(r.getUtime()));
  }

  private static ArticleSummary summary(Record7<Long, String, String, Long, Byte, Long, Long> r) {
    return new ArticleSummary(
        r.value1(),
        r.value2(),
        r.value3(),
        r.value4(),
        ArticleStatus.of(r.value5()),
        Instant.ofEpochMilli(r.value6()),
        Instant.ofEpochMilli(r.value7()));
  }
}
