package com.webook.interactive.repository.dao;

import static com.webook.interactive.repository.dao.jooq.Tables.INTERACTIVES;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_COLLECTION_BIZS;
import static com.webook.interactive.repository.dao.jooq.Tables.USER_LIKE_BIZS;

import com.webook.interactive.domain.Counts;
import com.webook.interactive.domain.UserState;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Likes, collects and counters through jOOQ's typed DSL (SPEC §6.1–6.2).
 *
 * <p>A user's state change and the counter move together, in one transaction, and the counter moves
 * only when the state really changed — decided by the database, never by a read first:
 *
 * <ul>
 *   <li>like: a locking read of the record; absent → insert it liked, cancelled → set it liked,
 *       both followed by {@code like_cnt + 1}; liked → nothing. Liking twice, or fifty times at
 *       once, counts once: the record lock orders them, and an insert that finds the record
 *       inserted meanwhile starts the transaction over.
 *   <li>cancel: {@code UPDATE … SET status = 0 WHERE … AND status = 1}; only a changed row moves
 *       {@code like_cnt − 1} (never below 0). Cancelling a like that does not exist is a no-op.
 *   <li>collect: the same locking read; absent → insert, {@code collect_cnt + 1}; present in
 *       another folder → moved there (count unchanged).
 *   <li>counter rows are upserts ({@code INSERT … ON DUPLICATE KEY UPDATE x = x + 1}).
 * </ul>
 *
 * The driver reports "found rows" for UPDATE (MariaDB Connector/J's default), so each UPDATE's
 * WHERE names the old state: found equals changed. A transaction that lost a deadlock runs again.
 * Thread-safe (stateless over a thread-safe {@link DSLContext}). Not final: tests wrap it.
 */
public class InteractiveDao {
  /** MariaDB/InnoDB ER_LOCK_DEADLOCK: the transaction was rolled back and may simply run again. */
  private static final int ER_LOCK_DEADLOCK = 1213;

  private static final int MAX_TRANSACTION_ATTEMPTS = 5;
  private static final byte LIKED = 1;
  private static final byte CANCELLED = 0;

  private final DSLContext dsl;

  public InteractiveDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** Records {@code uid}'s like; true when it is new (the counter moved). */
  public boolean like(String biz, long bizId, long uid, long nowMs) {
    return transaction(
        tx -> {
          Byte status =
              tx.select(USER_LIKE_BIZS.STATUS)
                  .from(USER_LIKE_BIZS)
                  .where(likeOf(biz, bizId, uid))
                  .forUpdate()
                  .fetchOne(USER_LIKE_BIZS.STATUS);
          if (status == null) {
            insertOrRetry(
                tx.insertInto(USER_LIKE_BIZS)
                    .set(USER_LIKE_BIZS.UID, uid)
                    .set(USER_LIKE_BIZS.BIZ, biz)
                    .set(USER_LIKE_BIZS.BIZ_ID, bizId)
                    .set(USER_LIKE_BIZS.STATUS, LIKED)
                    .set(USER_LIKE_BIZS.CTIME, nowMs)
                    .set(USER_LIKE_BIZS.UTIME, nowMs)
                    .onDuplicateKeyIgnore()
                    .execute());
          } else if (status == LIKED) {
            return false;
          } else {
            tx.update(USER_LIKE_BIZS)
                .set(USER_LIKE_BIZS.STATUS, LIKED)
                .set(USER_LIKE_BIZS.UTIME, nowMs)
                .where(likeOf(biz, bizId, uid))
                .execute();
          }
          addToCounter(tx, biz, bizId, INTERACTIVES.LIKE_CNT, nowMs);
          return true;
        });
  }

  /** Cancels {@code uid}'s like; true when there was one (the counter moved). */
  public boolean cancelLike(String biz, long bizId, long uid, long nowMs) {
    return transaction(
        tx -> {
          boolean changed = setLikeStatus(tx, biz, bizId, uid, LIKED, CANCELLED, nowMs);
          if (changed) {
            tx.update(INTERACTIVES)
                .set(INTERACTIVES.LIKE_CNT, INTERACTIVES.LIKE_CNT.minus(1L))
                .set(INTERACTIVES.UTIME, nowMs)
                .where(
                    INTERACTIVES
                        .BIZ_ID
                        .eq(bizId)
                        .and(INTERACTIVES.BIZ.eq(biz))
                        .and(INTERACTIVES.LIKE_CNT.gt(0L)))
                .execute();
          }
          return changed;
        });
  }

  /**
   * Puts the item into {@code uid}'s folder {@code cid}; true when it was not collected before (the
   * counter moved). Collected in another folder: moved to {@code cid}, false.
   */
  public boolean collect(String biz, long bizId, long uid, long cid, long nowMs) {
    return transaction(
        tx -> {
          var where =
              USER_COLLECTION_BIZS
                  .UID
                  .eq(uid)
                  .and(USER_COLLECTION_BIZS.BIZ_ID.eq(bizId))
                  .and(USER_COLLECTION_BIZS.BIZ.eq(biz));
          Long folder =
              tx.select(USER_COLLECTION_BIZS.CID)
                  .from(USER_COLLECTION_BIZS)
                  .where(where)
                  .forUpdate()
                  .fetchOne(USER_COLLECTION_BIZS.CID);
          if (folder == null) {
            insertOrRetry(
                tx.insertInto(USER_COLLECTION_BIZS)
                    .set(USER_COLLECTION_BIZS.UID, uid)
                    .set(USER_COLLECTION_BIZS.BIZ, biz)
                    .set(USER_COLLECTION_BIZS.BIZ_ID, bizId)
                    .set(USER_COLLECTION_BIZS.CID, cid)
                    .set(USER_COLLECTION_BIZS.CTIME, nowMs)
                    .set(USER_COLLECTION_BIZS.UTIME, nowMs)
                    .onDuplicateKeyIgnore()
                    .execute());
            addToCounter(tx, biz, bizId, INTERACTIVES.COLLECT_CNT, nowMs);
            return true;
          }
          if (folder != cid) {
            tx.update(USER_COLLECTION_BIZS)
                .set(USER_COLLECTION_BIZS.CID, cid)
                .set(USER_COLLECTION_BIZS.UTIME, nowMs)
                .where(where)
                .execute();
          }
          return false;
        });
  }

  /** {@code read_cnt + 1} as one upsert (SPEC §6.2: no read-then-write). */
  public void addRead(String biz, long bizId, long nowMs) {
    addToCounter(dsl, biz, bizId, INTERACTIVES.READ_CNT, nowMs);
  }

  /** One item's counters; empty when nothing was ever counted for it. */
  public Optional<Counts> counts(String biz, long bizId) {
    return dsl.select(INTERACTIVES.READ_CNT, INTERACTIVES.LIKE_CNT, INTERACTIVES.COLLECT_CNT)
        .from(INTERACTIVES)
        .where(INTERACTIVES.BIZ_ID.eq(bizId).and(INTERACTIVES.BIZ.eq(biz)))
        .fetchOptional(r -> new Counts(r.value1(), r.value2(), r.value3()));
  }

  /** The counters of those of {@code ids} that have a row, in one {@code IN} query. */
  public Map<Long, Counts> counts(String biz, Collection<Long> ids) {
    Map<Long, Counts> found = HashMap.newHashMap(ids.size());
    dsl.select(
            INTERACTIVES.BIZ_ID,
            INTERACTIVES.READ_CNT,
            INTERACTIVES.LIKE_CNT,
            INTERACTIVES.COLLECT_CNT)
        .from(INTERACTIVES)
        .where(INTERACTIVES.BIZ.eq(biz).and(INTERACTIVES.BIZ_ID.in(ids)))
        .forEach(r -> found.put(r.value1(), new Counts(r.value2(), r.value3(), r.value4())));
    return found;
  }

  /**
   * Whether {@code uid} likes the item now and whether they collected it (in any folder): two
   * {@code EXISTS} in one statement, one round trip.
   */
  public UserState userState(String biz, long bizId, long uid) {
    return dsl.select(
            DSL.field(
                DSL.exists(
                    DSL.selectOne()
                        .from(USER_LIKE_BIZS)
                        .where(
                            USER_LIKE_BIZS
                                .UID
                                .eq(uid)
                                .and(USER_LIKE_BIZS.BIZ_ID.eq(bizId))
                                .and(USER_LIKE_BIZS.BIZ.eq(biz))
                                .and(USER_LIKE_BIZS.STATUS.eq(LIKED))))),
            DSL.field(
                DSL.exists(
                    DSL.selectOne()
                        .from(USER_COLLECTION_BIZS)
                        .where(
                            USER_COLLECTION_BIZS
                                .UID
                                .eq(uid)
                                .and(USER_COLLECTION_BIZS.BIZ_ID.eq(bizId))
                                .and(USER_COLLECTION_BIZS.BIZ.eq(biz))))))
        .fetchSingle(r -> new UserState(r.value1(), r.value2()));
  }

  private static boolean setLikeStatus(
      DSLContext tx, String biz, long bizId, long uid, byte from, byte to, long nowMs) {
    return tx.update(USER_LIKE_BIZS)
            .set(USER_LIKE_BIZS.STATUS, to)
            .set(USER_LIKE_BIZS.UTIME, nowMs)
            .where(likeOf(biz, bizId, uid).and(USER_LIKE_BIZS.STATUS.eq(from)))
            .execute()
        == 1;
  }

  private static Condition likeOf(String biz, long bizId, long uid) {
    return USER_LIKE_BIZS
        .UID
        .eq(uid)
        .and(USER_LIKE_BIZS.BIZ_ID.eq(bizId))
        .and(USER_LIKE_BIZS.BIZ.eq(biz));
  }

  /**
   * A record was absent under our locking read but another transaction inserted it since: our
   * {@code INSERT IGNORE} waited for it and now holds only a shared lock. Upgrading that lock
   * (updating the row) is what deadlocks fifty parallel likes, so the transaction starts over
   * instead, and its locking read then finds the row.
   */
  private static void insertOrRetry(int inserted) {
    if (inserted == 0) {
      throw new ConcurrentInsertException();
    }
  }

  private static final class ConcurrentInsertException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConcurrentInsertException() {
      super("the record was inserted concurrently", null, false, false);
    }
  }

  private static void addToCounter(
      DSLContext tx, String biz, long bizId, Field<Long> counter, long nowMs) {
    tx.insertInto(INTERACTIVES)
        .set(INTERACTIVES.BIZ, biz)
        .set(INTERACTIVES.BIZ_ID, bizId)
        .set(counter, 1L)
        .set(INTERACTIVES.CTIME, nowMs)
        .set(INTERACTIVES.UTIME, nowMs)
        .onDuplicateKeyUpdate()
        .set(counter, counter.plus(1L))
        .set(INTERACTIVES.UTIME, nowMs)
        .execute();
  }

  /**
   * Runs {@code work} in a READ COMMITTED transaction; one that lost a deadlock or met a concurrent
   * insert runs again after a short jittered pause. READ COMMITTED: a locking read of a record that
   * does not exist yet takes no gap lock, so first likes of different users (or of one user, in
   * parallel) do not deadlock on each other's gaps; every decision here is made under a record
   * lock, so nothing needs REPEATABLE READ's snapshot.
   */
  private <T> T transaction(Function<DSLContext, T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return dsl.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              tx.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
              return work.apply(tx);
            });
      } catch (ConcurrentInsertException e) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS) {
          throw new IllegalStateException("record kept being inserted concurrently", e);
        }
      } catch (DataAccessException e) {
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isDeadlock(e)) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 << attempt));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted between transaction attempts", e);
    }
  }

  private static boolean isDeadlock(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return sql != null
        && (sql.getErrorCode() == ER_LOCK_DEADLOCK || "40001".equals(sql.getSQLState()));
  }
}
