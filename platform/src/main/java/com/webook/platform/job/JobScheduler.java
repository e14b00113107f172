package com.webook.platform.job;

import com.webook.platform.job.JobMetrics.Outcome;
import com.webook.platform.logging.LogThrottle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generic jobs preempted through the {@code jobs} table (SPEC §7.2): every instance polls for due
 * rows, exactly one wins each run by a compare-and-set on the row's {@code version}, renews the
 * row's heartbeat ({@code utime}) while its executor runs, and writes the next fire time when it
 * ends. A holder that stops renewing (crashed, frozen, cut off) is taken over after {@link
 * JobSchedulerConfig#staleAfter()}. See the platform README, "Jobs — JobScheduler", for the crash
 * points and the clock-skew bound.
 *
 * <p>Threads: the background loop ({@link #start()}) and the renewals run on two single-thread
 * executors built from the given factory, owned by this scheduler and stopped by {@link #close()}.
 * An executor runs on the polling thread, one run at a time per scheduler; {@link #pollOnce()} may
 * be called from any thread (tests drive it directly). Thread-safe.
 */
public final class JobScheduler implements AutoCloseable {
  /** How long {@link #close()} waits for a running executor to return after interrupting it. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  /** Due rows read per poll: enough to get past a few that another instance wins meanwhile. */
  static final int CANDIDATES = 8;

  /** {@code next_time} of a job whose expression never fires again: never due. */
  static final long NEVER = Long.MAX_VALUE;

  private static final Logger log = LoggerFactory.getLogger(JobScheduler.class);

  private final JobTable table;
  private final JobSchedulerConfig config;
  private final Clock clock;
  private final JobMetrics metrics;
  private final String holderId;
  private final BooleanSupplier mayPreempt;
  private final Map<String, JobExecutor> executors;
  private final ScheduledThreadPoolExecutor poller;
  private final ScheduledThreadPoolExecutor renewals;
  private final Set<JobRun> active = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LogThrottle pollFailureLog = new LogThrottle(Duration.ofSeconds(30));
  private final LogThrottle renewalFailureLog = new LogThrottle(Duration.ofSeconds(30));
  private volatile boolean renewalsSuspended; // test seam: a holder that stops renewing

  /**
   * @param dsl the database holding the {@code jobs} table
   * @param clock the source of every time written ({@code next_time}, {@code utime}) and of the
   *     zone cron expressions are evaluated in; all instances must agree on the zone
   * @param holderId names this instance in log lines (e.g. its registry instance id)
   * @param mayPreempt asked before every background poll; false skips it (e.g. not the leader, or
   *     too loaded). A run already started is not affected
   * @param executors by {@link JobDefinition#executor()}; jobs whose executor is not here are never
   *     preempted by this instance
   * @param threads makes the polling and the renewal thread
   */
  public JobScheduler(
      DSLContext dsl,
      JobSchedulerConfig config,
      Clock clock,
      MeterRegistry metrics,
      String holderId,
      BooleanSupplier mayPreempt,
      Map<String, JobExecutor> executors,
      ThreadFactory threads) {
    this.table = new JobTable(dsl);
    this.config = config;
    this.clock = clock;
    this.metrics = new JobMetrics(metrics);
    this.holderId = holderId;
    this.mayPreempt = mayPreempt;
    this.executors = Map.copyOf(executors);
    // Threads start lazily, on the first task: a scheduler only polled by hand has no poll thread.
    this.poller = singleThread(threads);
    this.renewals = singleThread(threads);
  }

  private static ScheduledThreadPoolExecutor singleThread(ThreadFactory threads) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    return executor;
  }

  /**
   * Makes sure the job exists as {@code def} says: inserted (waiting, due at the next fire time
   * after now) if absent; if present with another executor, cfg or expression, those are updated
   * and {@code next_time} recomputed — its status (waiting, running, paused) and version stay, so a
   * run in progress elsewhere keeps its hold. Instances defining the same job at once are fine: one
   * insert wins (unique name), the others compare with its row. When instances disagree (a rolling
   * deploy that changes the cron), the last one to define wins.
   *
   * @throws IllegalArgumentException if the expression never fires after now
   */
  public void define(JobDefinition def) {
    CronSchedule schedule = def.schedule();
    for (int attempt = 0; attempt < 5; attempt++) {
      long now = clock.millis();
      long next =
          schedule
              .nextAfter(Instant.ofEpochMilli(now), clock.getZone())
              .map(Instant::toEpochMilli)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "job "
                              + def.name()
                              + ": cron '"
                              + def.expression()
                              + "' never fires after "
                              + Instant.ofEpochMilli(now)));
      Optional<JobRow> existing = table.find(def.name());
      if (existing.isEmpty()) {
        if (table.insert(def, next, now)) {
          log.info(
              "job {}: defined (executor {}, cron '{}'), first run at {}",
              def.name(),
              def.executor(),
              def.expression(),
              Instant.ofEpochMilli(next));
          return;
        }
        continue; // another instance inserted it first: compare with its row
      }
      JobRow row = existing.get();
      if (row.matches(def)) {
        return;
      }
      if (table.updateDefinition(row.id(), row.version(), def, next)) {
        log.info(
            "job {}: redefined (executor {} -> {}, cron '{}' -> '{}'{}), next run at {}",
            def.name(),
            row.executor(),
            def.executor(),
            row.expression(),
            def.expression(),
            row.cfg().equals(def.cfg()) ? "" : ", cfg changed",
            Instant.ofEpochMilli(next));
        return;
      }
      // The row changed between our read and our update (a run ended): read it again.
    }
    throw new IllegalStateException(
        "job " + def.name() + ": could not define it, the row kept changing");
  }

  /**
   * Starts the background loop: every {@code pollInterval} (after the previous poll and its run
   * ended), if {@code mayPreempt} says so, {@link #pollOnce()}.
   */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("job scheduler " + holderId + " is closed");
    }
    if (!started.compareAndSet(false, true)) {
      return;
    }
    long every = config.pollInterval().toMillis();
    var unused =
        poller.scheduleWithFixedDelay(this::backgroundPoll, 0, every, TimeUnit.MILLISECONDS);
    log.info(
        "job scheduler {}: polling every {} ms for {} (renew every {} ms, stale after {} ms)",
        holderId,
        every,
        executors.keySet(),
        config.renewInterval().toMillis(),
        config.staleAfter().toMillis());
  }

  private void backgroundPoll() {
    try {
      if (!closed.get() && mayPreempt.getAsBoolean()) {
        pollOnce();
      }
    } catch (RuntimeException e) {
      // A database outage fails every poll: count each, log one line per 30 s, keep polling.
      metrics.pollFailure();
      if (pollFailureLog.allow()) {
        log.warn("job scheduler {}: poll failed, polling on: {}", holderId, e.toString());
      }
    } catch (VirtualMachineError e) {
      log.error("job scheduler {}: polling stopped: {}", holderId, e.toString());
      throw e;
    }
  }

  /**
   * One poll: preempts the oldest due job this instance has an executor for and runs it to the end
   * on the calling thread. Does not ask {@code mayPreempt} (the background loop does).
   *
   * @return whether a job ran
   */
  public boolean pollOnce() {
    if (closed.get() || executors.isEmpty()) {
      return false;
    }
    long now = clock.millis();
    long staleBefore = now - config.staleAfter().toMillis();
    List<JobRow> candidates = table.dueCandidates(now, staleBefore, executors.keySet(), CANDIDATES);
    for (JobRow row : candidates) {
      if (!table.preempt(row.id(), row.version(), now, staleBefore)) {
        // Another instance won this run (or the row changed): not a state change of ours.
        metrics.conflict(row.name());
        log.debug("job {}: preempted by another instance first", row.name());
        continue;
      }
      if (row.status() == JobRow.RUNNING) {
        metrics.takeover(row.name());
        log.warn(
            "job {}: taken over by {} from a holder that stopped renewing (last renewal {} ms ago,"
                + " stale after {} ms), version {}",
            row.name(),
            holderId,
            now - row.utime(),
            config.staleAfter().toMillis(),
            row.version() + 1);
      } else {
        log.info(
            "job {}: started by {} (version {}, due {})",
            row.name(),
            holderId,
            row.version() + 1,
            Instant.ofEpochMilli(row.nextTime()));
      }
      run(
          new JobRun(row, row.version() + 1, Thread.currentThread()),
          executors.get(row.executor()));
      return true;
    }
    return false;
  }

  private void run(JobRun run, JobExecutor executor) {
    active.add(run);
    long started = System.nanoTime();
    Throwable failure = null;
    try {
      // close() sets closed before it looks at the active runs: a run it did not see sees this.
      if (closed.get()) {
        run.closing();
      } else {
        long every = config.renewInterval().toMillis();
        run.renewal(
            renewals.scheduleAtFixedRate(() -> renew(run), every, every, TimeUnit.MILLISECONDS));
        executor.run(run);
      }
    } catch (RejectedExecutionException e) {
      run.closing(); // renewals already stopped: close() ran meanwhile
    } catch (Throwable e) {
      failure = e;
    }
    run.end();
    // close() interrupts only before end(): clear its interrupt so it cannot fail the statements
    // that end the run; an interrupt from elsewhere is the caller's and is put back.
    boolean interrupted = Thread.interrupted();
    try {
      Outcome outcome = finish(run, failure);
      metrics.run(run.name(), outcome, Duration.ofNanos(System.nanoTime() - started));
    } finally {
      active.remove(run);
      run.done().countDown();
      if (interrupted && !run.isClosing()) {
        Thread.currentThread().interrupt();
      }
    }
    if (failure instanceof VirtualMachineError error) {
      throw error; // recorded as failed above; the JVM's own trouble is not the job's to swallow
    }
  }

  private Outcome finish(JobRun run, Throwable failure) {
    long elapsed = 0;
    try {
      long now = clock.millis();
      elapsed = now - run.dueAt().toEpochMilli();
      if (run.isClosing()) {
        if (table.release(run.id(), run.version(), now)) {
          log.info(
              "job {}: released by {} (closing), due time unchanged so another instance runs it"
                  + " now",
              run.name(),
              holderId);
          return Outcome.RELEASED;
        }
        log.warn("job {}: closing, but the run had already been taken over", run.name());
        return Outcome.LOST;
      }
      // A renewal that found the row taken is final (versions only grow): nothing to ask.
      Optional<String> expression =
          run.isLost() ? Optional.empty() : table.heldExpression(run.id(), run.version());
      if (expression.isEmpty()) {
        log.warn(
            "job {}: run ended ({}) but had been taken over; nothing recorded",
            run.name(),
            failure == null ? "completed" : "failed: " + failure);
        return Outcome.LOST;
      }
      CronSchedule schedule;
      try {
        schedule = CronSchedule.parse(expression.get());
      } catch (IllegalArgumentException e) {
        // Only a hand-edited row gets here (define validates): stop scheduling it, loudly.
        table.pauseHeld(run.id(), run.version(), run.row().nextTime(), now);
        log.warn(
            "job {}: paused, its stored expression cannot be scheduled: {}",
            run.name(),
            e.getMessage());
        return failure == null ? Outcome.COMPLETED : Outcome.FAILED;
      }
      // After the due time too, not only after now: an instance whose clock lags the one that
      // started the run would otherwise schedule the fire time just run once more.
      Instant after = Instant.ofEpochMilli(Math.max(now, run.dueAt().toEpochMilli()));
      long next =
          schedule.nextAfter(after, clock.getZone()).map(Instant::toEpochMilli).orElse(NEVER);
      if (!table.complete(run.id(), run.version(), next, now)) {
        log.warn("job {}: run ended but had been taken over; nothing recorded", run.name());
        return Outcome.LOST;
      }
      String nextText =
          next == NEVER ? "never (the cron fires no more)" : Instant.ofEpochMilli(next).toString();
      if (failure == null) {
        log.info("job {}: completed, next run at {}", run.name(), nextText);
        return Outcome.COMPLETED;
      }
      // One line, the cause chain's summary; a job failing every period must not flood the log.
      log.warn("job {}: failed ({}), next run at {}", run.name(), describe(failure), nextText);
      return Outcome.FAILED;
    } catch (RuntimeException e) {
      // The end could not be written (database down): the row stays running with our version and
      // no renewals, so another instance takes it over after staleAfter and runs it again.
      log.warn(
          "job {}: could not record the end of the run ({} ms after due): {}; it will be taken"
              + " over after {} ms",
          run.name(),
          elapsed,
          e.toString(),
          config.staleAfter().toMillis());
      return Outcome.LOST;
    }
  }

  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(failure.toString());
    Throwable cause = failure.getCause();
    for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
      text.append(" <- ").append(cause);
    }
    return text.toString();
  }

  private void renew(JobRun run) {
    synchronized (run) {
      if (!run.renewing() || renewalsSuspended) {
        return;
      }
      try {
        if (!table.renew(run.id(), run.version(), clock.millis()) && run.lose()) {
          metrics.holdLost(run.name());
          log.warn(
              "job {}: lost by {} (version {} no longer running here: taken over or paused); the"
                  + " executor should stop",
              run.name(),
              holderId,
              run.version());
          run.cancelRenewals();
        }
      } catch (RuntimeException e) {
        // Keep trying: a renewal that succeeds within staleAfter keeps the job.
        metrics.renewalFailure(run.name());
        if (renewalFailureLog.allow()) {
          log.warn("job {}: renewal failed, retrying: {}", run.name(), e.toString());
        }
      }
    }
  }

  /** Test seam: a holder that stops renewing while its executor runs on (a frozen process). */
  void suspendRenewals(boolean suspended) {
    this.renewalsSuspended = suspended;
  }

  /** {@link #close(Duration)} with {@link #CLOSE_WAIT}. */
  @Override
  public void close() {
    close(CLOSE_WAIT);
  }

  /**
   * Stops polling, interrupts a running executor ({@link HeldJob#held()} turns false) and waits up
   * to {@code wait} for it to return; its row is then released: waiting again with {@code
   * next_time} unchanged, so another instance runs it at once. An executor that does not return in
   * time keeps running unrenewed; its row is taken over after {@code staleAfter}. Idempotent.
   */
  public void close(Duration wait) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    poller.shutdown();
    for (JobRun run : active) {
      run.closing();
      run.interruptUnlessEnded();
    }
    long deadline = System.nanoTime() + wait.toNanos();
    for (JobRun run : active) {
      try {
        if (!run.done().await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          log.warn(
              "job {}: executor did not stop within {} ms of close; the row stays running"
                  + " unrenewed and is taken over after {} ms",
              run.name(),
              wait.toMillis(),
              config.staleAfter().toMillis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    renewals.shutdownNow();
    poller.shutdownNow();
  }
}
