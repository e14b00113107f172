package com.webook.ranking.repository.dao;

import static com.webook.ranking.repository.dao.jooq.Tables.JOBS;
import static com.webook.ranking.repository.dao.jooq.Tables.RANKING_RUNS;

import com.webook.ranking.domain.RunRecord;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/**
 * {@code ranking_runs} (every computation, for operators and tests) and the one statement on the
 * job table that is ranking's own: making its job due now ({@code RankTopN}). Thread-safe.
 */
public final class RankingRunDao {
  private static final byte WAITING = 0;
  private static final byte PAUSED = 2;

  private final DSLContext dsl;

  public RankingRunDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  public void record(RunRecord run) {
    dsl.insertInto(RANKING_RUNS)
        .set(RANKING_RUNS.INSTANCE, run.instance())
        .set(RANKING_RUNS.JOB_VERSION, run.jobVersion())
        .set(RANKING_RUNS.DUE, run.due().toEpochMilli())
        .set(RANKING_RUNS.STARTED, run.started().toEpochMilli())
        .set(RANKING_RUNS.FINISHED, run.finished().toEpochMilli())
        .set(RANKING_RUNS.OUTCOME, run.outcome().code())
        .set(RANKING_RUNS.SCANNED, run.scanned())
        .set(RANKING_RUNS.LISTED, run.listed())
        .set(RANKING_RUNS.DETAIL, run.detail())
        .execute();
  }

  /** Runs that started at or after {@code since}, oldest first. */
  public List<RunRecord> startedSince(Instant since) {
    return dsl.selectFrom(RANKING_RUNS)
        .where(RANKING_RUNS.STARTED.ge(since.toEpochMilli()))
        .orderBy(RANKING_RUNS.STARTED, RANKING_RUNS.ID)
        .fetch(
            r ->
                new RunRecord(
                    r.getInstance(),
                    r.getJobVersion(),
                    Instant.ofEpochMilli(r.getDue()),
                    Instant.ofEpochMilli(r.getStarted()),
                    Instant.ofEpochMilli(r.getFinished()),
                    RunRecord.Outcome.of(r.getOutcome()),
                    r.getScanned(),
                    r.getListed(),
                    r.getDetail()));
  }

  /**
   * Makes job {@code name} due at {@code now} if it is waiting for a later time. A running job is
   * left alone: its run records itself before the row is released, and its completion sets the next
   * fire time, so a caller that wants a run starting after {@code now} checks the records first and
   * calls this again once the row waits. False: no such job, or paused.
   */
  public boolean makeDue(String name, Instant now) {
    long ms = now.toEpochMilli();
    dsl.update(JOBS)
        .set(JOBS.NEXT_TIME, ms)
        .where(JOBS.NAME.eq(name).and(JOBS.STATUS.eq(WAITING)).and(JOBS.NEXT_TIME.gt(ms)))
        .execute();
    return dsl.fetchExists(JOBS, JOBS.NAME.eq(name).and(JOBS.STATUS.ne(PAUSED)));
  }
}
