package com.webook.platform.job;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.exception.SQLStateClass;
import org.jooq.impl.SQLDataType;

/**
 * The {@code jobs} table (SPEC §7.2) through jOOQ's plain-SQL DSL: the platform has no generated
 * classes for it (the table belongs to the service that uses the scheduler, e.g. ranking-svc's
 * {@code V1__jobs.sql}). Every state change of a run is one conditional {@code UPDATE} on {@code
 * (id, version)}; its row count says whether this instance still holds the job. Relies on MariaDB
 * Connector/J's default of reporting matched rows ({@code useAffectedRows=false}).
 */
final class JobTable {
  static final Table<Record> JOBS = table(name("jobs"));
  static final Field<Long> ID = field(name("id"), SQLDataType.BIGINT);
  static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR(128));
  static final Field<String> EXECUTOR = field(name("executor"), SQLDataType.VARCHAR(128));
  static final Field<String> CFG = field(name("cfg"), SQLDataType.CLOB);
  static final Field<String> EXPRESSION = field(name("expression"), SQLDataType.VARCHAR(128));
  static final Field<Long> VERSION = field(name("version"), SQLDataType.BIGINT);
  static final Field<Long> NEXT_TIME = field(name("next_time"), SQLDataType.BIGINT);
  static final Field<Integer> STATUS = field(name("status"), SQLDataType.INTEGER);
  static final Field<Long> CTIME = field(name("ctime"), SQLDataType.BIGINT);
  static final Field<Long> UTIME = field(name("utime"), SQLDataType.BIGINT);

  private final DSLContext dsl;

  JobTable(DSLContext dsl) {
    this.dsl = dsl;
  }

  Optional<JobRow> find(String jobName) {
    return dsl.select(ID, NAME, EXECUTOR, CFG, EXPRESSION, VERSION, NEXT_TIME, STATUS, UTIME)
        .from(JOBS)
        .where(NAME.eq(jobName))
        .fetchOptional(JobTable::row);
  }

  /** Inserts a waiting row; false if a row with this name exists (another instance won). */
  boolean insert(JobDefinition def, long nextTime, long now) {
    try {
      dsl.insertInto(JOBS)
          .columns(NAME, EXECUTOR, CFG, EXPRESSION, VERSION, NEXT_TIME, STATUS, CTIME, UTIME)
          .values(
              def.name(),
              def.executor(),
              def.cfg(),
              def.expression(),
              0L,
              nextTime,
              JobRow.WAITING,
              now,
              now)
          .execute();
      return true;
    } catch (DataAccessException e) {
      // Not INSERT IGNORE: that would also turn data errors into warnings.
      if (e.sqlStateClass() == SQLStateClass.C23_INTEGRITY_CONSTRAINT_VIOLATION) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Changes what a job is, if the row is still at {@code version}. Neither version, status nor
   * utime change: a holder running the job keeps it (its fencing token and heartbeat stay valid).
   */
  boolean updateDefinition(long id, long version, JobDefinition def, long nextTime) {
    return dsl.update(JOBS)
            .set(EXECUTOR, def.executor())
            .set(CFG, def.cfg())
            .set(EXPRESSION, def.expression())
            .set(NEXT_TIME, nextTime)
            .where(ID.eq(id).and(VERSION.eq(version)))
            .execute()
        == 1;
  }

  /**
   * Due rows this instance can run, oldest due first: waiting, or running with a heartbeat older
   * than {@code staleBefore}. Paused rows never qualify.
   */
  List<JobRow> dueCandidates(long now, long staleBefore, Collection<String> executors, int limit) {
    return dsl.select(ID, NAME, EXECUTOR, CFG, EXPRESSION, VERSION, NEXT_TIME, STATUS, UTIME)
        .from(JOBS)
        .where(preemptable(now, staleBefore))
        .and(EXECUTOR.in(executors))
        .orderBy(NEXT_TIME, ID)
        .limit(limit)
        .fetch(JobTable::row);
  }

  /**
   * The preemption CAS: takes the row if it is still at {@code version} <em>and</em> still
   * preemptable. Checking staleness again in the same statement matters: renewals do not bump the
   * version, so a holder that renewed after our read keeps its job.
   */
  boolean preempt(long id, long version, long now, long staleBefore) {
    return dsl.update(JOBS)
            .set(STATUS, JobRow.RUNNING)
            .set(VERSION, VERSION.plus(1))
            .set(UTIME, now)
            .where(ID.eq(id).and(VERSION.eq(version)).and(preemptable(now, staleBefore)))
            .execute()
        == 1;
  }

  /** The heartbeat; false if the row is no longer ours (taken over, paused or changed state). */
  boolean renew(long id, long version, long now) {
    return dsl.update(JOBS).set(UTIME, now).where(held(id, version)).execute() == 1;
  }

  /** The expression of a row this run still holds (it may have been redefined meanwhile). */
  Optional<String> heldExpression(long id, long version) {
    return dsl.select(EXPRESSION).from(JOBS).where(held(id, version)).fetchOptional(EXPRESSION);
  }

  /** End of a run: waiting again, due at {@code nextTime}; false if the run was taken over. */
  boolean complete(long id, long version, long nextTime, long now) {
    return endHold(id, version, JobRow.WAITING, nextTime, now);
  }

  /** Gives a held row back with {@code next_time} unchanged, so another instance runs it now. */
  boolean release(long id, long version, long now) {
    return dsl.update(JOBS)
            .set(STATUS, JobRow.WAITING)
            .set(VERSION, VERSION.plus(1))
            .set(UTIME, now)
            .where(held(id, version))
            .execute()
        == 1;
  }

  /** Ends a held run by pausing the job (its stored expression cannot be scheduled). */
  boolean pauseHeld(long id, long version, long nextTime, long now) {
    return endHold(id, version, JobRow.PAUSED, nextTime, now);
  }

  private boolean endHold(long id, long version, int status, long nextTime, long now) {
    return dsl.update(JOBS)
            .set(STATUS, status)
            .set(NEXT_TIME, nextTime)
            .set(VERSION, VERSION.plus(1))
            .set(UTIME, now)
            .where(held(id, version))
            .execute()
        == 1;
  }

  private static Condition preemptable(long now, long staleBefore) {
    return NEXT_TIME
        .le(now)
        .and(STATUS.eq(JobRow.WAITING).or(STATUS.eq(JobRow.RUNNING).and(UTIME.lt(staleBefore))));
  }

  /**
   * Still ours: the version we set when we preempted, and still running (an operator who pauses a
   * running job with {@code status = 2} takes it away from its holder too).
   */
  private static Condition held(long id, long version) {
    return ID.eq(id).and(VERSION.eq(version)).and(STATUS.eq(JobRow.RUNNING));
  }

  private static JobRow row(Record r) {
    return new JobRow(
        r.get(ID),
        r.get(NAME),
        r.get(EXECUTOR),
        r.get(CFG),
        r.get(EXPRESSION),
        r.get(VERSION),
        r.get(NEXT_TIME),
        r.get(STATUS),
        r.get(UTIME));
  }
}
