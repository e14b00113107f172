package com.webook.ranking.job;

import com.webook.platform.job.HeldJob;
import com.webook.platform.job.JobExecutor;
import com.webook.platform.redis.RedisLock;
import com.webook.ranking.domain.RunRecord;
import com.webook.ranking.domain.RunRecord.Outcome;
import com.webook.ranking.repository.HotListRepository;
import com.webook.ranking.repository.dao.RankingRunDao;
import com.webook.ranking.service.HotListComputer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranking job's executor: run by the job scheduler on the leader only (README "Scheduling").
 * Computes the list, then publishes it through the leader lock's fence — a run that lost the lock
 * or the job row meanwhile (paused past its TTL, taken over) writes nothing — records the run in
 * {@code ranking_runs}, and lets the leadership hand over if this instance is now overloaded. A
 * failed computation leaves the last good list where it is.
 */
public final class RankingJob implements JobExecutor {
  private static final Logger log = LoggerFactory.getLogger(RankingJob.class);

  private final HotListComputer computer;
  private final HotListRepository lists;
  private final LoadAwareLeadership leadership;
  private final RankingRunDao runs;
  private final String instance;
  private final Clock clock;
  private final MeterRegistry metrics;

  public RankingJob(
      HotListComputer computer,
      HotListRepository lists,
      LoadAwareLeadership leadership,
      RankingRunDao runs,
      String instance,
      Clock clock,
      MeterRegistry metrics) {
    this.computer = computer;
    this.lists = lists;
    this.leadership = leadership;
    this.runs = runs;
    this.instance = instance;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void run(HeldJob job) {
    Instant started = clock.instant();
    Outcome outcome = Outcome.FAILED;
    long scanned = 0;
    int listed = 0;
    String detail = "";
    try {
      Optional<RedisLock.Lease> lease = leadership.lease();
      if (lease.isEmpty()) {
        outcome = Outcome.FENCED;
        detail = "not the leader any more when the run started";
        return;
      }
      HotListComputer.Result result;
      try {
        result = computer.compute();
      } catch (RuntimeException e) {
        detail = e.toString();
        log.warn("hot-list computation failed; the last list stays: {}", e.toString());
        throw e;
      }
      scanned = result.scanned();
      listed = result.list().articles().size();
      if (!job.held()) {
        outcome = Outcome.LOST;
        detail = "the job row was taken over during the run";
        log.warn("hot-list run of job version {} lost its job row; not published", job.version());
        return;
      }
      outcome =
          switch (lists.publish(result.list(), lease.get()::setIfHeld)) {
            case STORED -> Outcome.PUBLISHED;
            case FENCED -> Outcome.FENCED;
            case LOCAL_ONLY -> Outcome.LOCAL_ONLY;
          };
      if (outcome == Outcome.FENCED) {
        detail = "the leader lock was someone else's at publish";
        log.warn("hot-list run of job version {} lost the lock; not published", job.version());
      }
    } finally {
      Instant finished = clock.instant();
      Timer.builder("ranking.runs")
          .description("Hot-list computations by outcome")
          .tag("outcome", outcome.code())
          .register(metrics)
          .record(Duration.between(started, finished));
      record(
          new RunRecord(
              instance,
              job.version(),
              job.dueAt(),
              started,
              finished,
              outcome,
              scanned,
              listed,
              detail));
      leadership.afterRun();
    }
  }

  private void record(RunRecord run) {
    try {
      runs.record(run);
    } catch (RuntimeException e) {
      log.warn("cannot record the hot-list run in ranking_runs: {}", e.toString());
    }
    log.info(
        "hot-list run (job version {}): {}, {} articles in the window, {} listed, {} ms",
        run.jobVersion(),
        run.outcome().code(),
        run.scanned(),
        run.listed(),
        Duration.between(run.started(), run.finished()).toMillis());
  }
}
