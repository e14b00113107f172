package com.webook.interactive.repository.dao;

import static com.webook.interactive.repository.dao.jooq.Tables.CONSUMER_OFFSETS;
import static com.webook.interactive.repository.dao.jooq.Tables.INTERACTIVES;

import com.webook.interactive.domain.PartitionAdvance;
import com.webook.interactive.domain.ReadBatch;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;
import org.jooq.InsertValuesStep5;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The read-event batch as SQL (SPEC §6.4): one transaction that first moves the stored position of
 * every partition of the batch with a compare-and-set, then adds the reads with one multi-row
 * {@code INSERT … ON DUPLICATE KEY UPDATE read_cnt = read_cnt + VALUES(read_cnt)} (one row per
 * item, duplicates already summed).
 *
 * <p><b>Fencing.</b> The position write is {@code UPDATE consumer_offsets SET next_offset = :to
 * WHERE topic = ? AND partition = ? AND next_offset = :from}, or, when the applier believes no
 * position was ever stored, an {@code INSERT IGNORE}-style insert of the first row. Zero rows
 * changed means another applier (the partition's new owner after a rebalance) moved the position
 * first: the whole transaction is rolled back and {@link #apply} returns false, so a zombie never
 * counts a batch on top of the new owner. The position rows are written before the counters, in
 * partition order, so two appliers racing for one partition serialize on its row lock (the loser
 * re-reads the row after the winner committed and finds it moved) and never deadlock on each other.
 *
 * <p>A transaction that loses a deadlock against other writers of {@code interactives} (likes,
 * collects) runs again, up to {@value #MAX_TRANSACTION_ATTEMPTS} times. Thread-safe (stateless over
 * a thread-safe {@link DSLContext}).
 */
public final class ReadCountDao {
  /** MariaDB/InnoDB ER_LOCK_DEADLOCK: the transaction was rolled back and may simply run again. */
  private static final int ER_LOCK_DEADLOCK = 1213;

  private static final int MAX_TRANSACTION_ATTEMPTS = 3;

  private final DSLContext dsl;

  public ReadCountDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Applies {@code batch} in one transaction: positions (compare-and-set) and counters together.
   *
   * @return true when committed; false when a position had moved (nothing changed)
   * @throws DataAccessException when the database fails (nothing changed)
   */
  public boolean apply(ReadBatch batch, long nowMillis) {
    List<PartitionAdvance> advances = new ArrayList<>(batch.advances());
    advances.sort(
        Comparator.comparing(PartitionAdvance::topic)
            .thenComparingInt(PartitionAdvance::partition));
    // Item rows in id order: concurrent writers lock them in the same order.
    Map<Long, Long> reads = new TreeMap<>(batch.reads());
    for (int attempt = 1; ; attempt++) {
      try {
        return dsl.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              for (PartitionAdvance a : advances) {
                if (!advance(tx, a, nowMillis)) {
                  throw new Fenced();
                }
              }
              addReads(tx, batch.biz(), reads, nowMillis);
              return true;
            });
      } catch (Fenced e) {
        return false;
      } catch (DataAccessException e) {
        if (e.getCause() instanceof Fenced) {
          return false;
        }
        if (attempt >= MAX_TRANSACTION_ATTEMPTS || !isDeadlock(e)) {
          throw e;
        }
      }
    }
  }

  /** The stored next offsets of {@code partitions} of {@code topic}; absent ones are missing. */
  public Map<Integer, Long> positions(String topic, Collection<Integer> partitions) {
    Map<Integer, Long> out = new HashMap<>();
    if (partitions.isEmpty()) {
      return out;
    }
    for (Record2<Integer, Long> r :
        dsl.select(CONSUMER_OFFSETS.PARTITION, CONSUMER_OFFSETS.NEXT_OFFSET)
            .from(CONSUMER_OFFSETS)
            .where(CONSUMER_OFFSETS.TOPIC.eq(topic))
            .and(CONSUMER_OFFSETS.PARTITION.in(partitions))
            .fetch()) {
      out.put(r.value1(), r.value2());
    }
    return out;
  }

  private static boolean advance(DSLContext tx, PartitionAdvance a, long now) {
    if (a.from() == PartitionAdvance.NONE) {
      // The first position ever stored for this partition; a duplicate key means another applier
      // stored one first.
      return tx.insertInto(
                  CONSUMER_OFFSETS,
                  CONSUMER_OFFSETS.TOPIC,
                  CONSUMER_OFFSETS.PARTITION,
                  CONSUMER_OFFSETS.NEXT_OFFSET,
                  CONSUMER_OFFSETS.UTIME)
              .values(a.topic(), a.partition(), a.to(), now)
              .onDuplicateKeyIgnore()
              .execute()
          == 1;
    }
    return tx.update(CONSUMER_OFFSETS)
            .set(CONSUMER_OFFSETS.NEXT_OFFSET, a.to())
            .set(CONSUMER_OFFSETS.UTIME, now)
            .where(CONSUMER_OFFSETS.TOPIC.eq(a.topic()))
            .and(CONSUMER_OFFSETS.PARTITION.eq(a.partition()))
            .and(CONSUMER_OFFSETS.NEXT_OFFSET.eq(a.from()))
            .execute()
        == 1;
  }

  private static void addReads(DSLContext tx, String biz, Map<Long, Long> reads, long now) {
    if (reads.isEmpty()) {
      return;
    }
    InsertValuesStep5<?, String, Long, Long, Long, Long> insert =
        tx.insertInto(
            INTERACTIVES,
            INTERACTIVES.BIZ,
            INTERACTIVES.BIZ_ID,
            INTERACTIVES.READ_CNT,
            INTERACTIVES.CTIME,
            INTERACTIVES.UTIME);
    for (Map.Entry<Long, Long> e : reads.entrySet()) {
      insert = insert.values(biz, e.getKey(), e.getValue(), now, now);
    }
    insert
        .onDuplicateKeyUpdate()
        .set(INTERACTIVES.READ_CNT, INTERACTIVES.READ_CNT.plus(DSL.excluded(INTERACTIVES.READ_CNT)))
        .set(INTERACTIVES.UTIME, DSL.excluded(INTERACTIVES.UTIME))
        .execute();
  }

  private static boolean isDeadlock(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return sql != null
        && (sql.getErrorCode() == ER_LOCK_DEADLOCK || "40001".equals(sql.getSQLState()));
  }

  /** Thrown inside the transaction to roll it back when a position had moved. */
  private static final class Fenced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fenced() {
      super("position moved", null, false, false);
    }
  }
}
