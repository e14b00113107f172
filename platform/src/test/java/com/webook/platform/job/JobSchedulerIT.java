package com.webook.platform.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.platform.config.MysqlConfig;
import com.webook.platform.db.Database;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.jooq.DSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler against the real MariaDB of the local stack, each test in its own database with the
 * {@code jobs} table of ranking-svc's migration: runs, takeovers of a holder that stops renewing, a
 * CAS race of five instances, paused jobs, and the release on close. Intervals are short (renew 300
 * ms, so stale after 900 ms); what is asserted is behaviour (who ran what, and bounds like "not
 * before 3 × renew"), never speed.
 */
class JobSchedulerIT {
  private static final Duration RENEW = Duration.ofMillis(300);
  private static final JobSchedulerConfig CONFIG =
      new JobSchedulerConfig(Duration.ofMillis(50), RENEW);
  // SPEC §7.2's 3 x renew, spelled out here rather than read from the config under test.
  private static final long STALE_MS = 3 * RENEW.toMillis();
  private static final String DAILY = "0 0 3 * * ?"; // never due by itself during a test

  private final Clock clock = Clock.system(ZoneOffset.UTC);
  private final List<JobScheduler> schedulers = new ArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private TestDatabase testDb;
  private Database db;
  private DSLContext dsl;
  private JobTable table;

  @BeforeEach
  void createTable() throws IOException {
    testDb = TestStack.newDatabase("jobs");
    db =
        Database.connect(
            new MysqlConfig(
                TestStack.mysqlServerUrl(),
                testDb.name(),
                TestStack.mysqlUser(),
                TestStack.mysqlPassword(),
                12,
                Duration.ofSeconds(3)),
            "jobs-it",
            new SimpleMeterRegistry());
    dsl = db.dsl();
    for (String statement : ddl().split(";")) {
      if (!statement.isBlank()) {
        dsl.execute(statement);
      }
    }
    table = new JobTable(dsl);
  }

  private static String ddl() throws IOException {
    try (InputStream in = JobSchedulerIT.class.getResourceAsStream("/job/jobs.sql")) {
      StringBuilder sql = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.strip().startsWith("--")) {
          sql.append(line).append('\n');
        }
      }
      return sql.toString();
    }
  }

  @AfterEach
  void dropTable() throws InterruptedException {
    schedulers.forEach(JobScheduler::close);
    threads.shutdownNow();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    db.close();
    testDb.close();
  }

  private JobScheduler scheduler(
      String holder, MeterRegistry metrics, BooleanSupplier mayPreempt, JobExecutor executor) {
    ThreadFactory factory = Thread.ofPlatform().name("jobs-" + holder + "-", 0).daemon().factory();
    JobScheduler scheduler =
        new JobScheduler(
            dsl, CONFIG, clock, metrics, holder, mayPreempt, Map.of("work", executor), factory);
    schedulers.add(scheduler);
    return scheduler;
  }

  private JobScheduler scheduler(String holder, MeterRegistry metrics, JobExecutor executor) {
    return scheduler(holder, metrics, () -> true, executor);
  }

  private JobRow row(String name) {
    return table.find(name).orElseThrow();
  }

  /** Makes a defined job due now (its cron would not fire during the test). */
  private long makeDue(String name) {
    long due = clock.millis() - 1_000;
    dsl.execute("UPDATE jobs SET next_time = ? WHERE name = ?", due, name);
    return due;
  }

  private static double runs(MeterRegistry metrics, String job, String outcome) {
    Counter c = metrics.find("jobs.runs").tag("job", job).tag("outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  private static double count(MeterRegistry metrics, String name, String job) {
    Counter c = metrics.find(name).tag("job", job).counter();
    return c == null ? 0 : c.count();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aDueJobRunsOnceAndNextTimeAdvancesToTheNextCronFire() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    JobScheduler scheduler =
        scheduler("a", metrics, job -> ran.add(job.name() + " " + job.cfg() + " " + job.held()));
    scheduler.define(new JobDefinition("ranking", "work", DAILY, "{\"n\":100}"));
    JobRow defined = row("ranking");
    assertThat(defined.status()).isEqualTo(JobRow.WAITING);
    assertThat(defined.version()).isZero();
    assertThat(defined.nextTime())
        .isEqualTo(
            CronSchedule.parse(DAILY)
                .nextAfter(Instant.ofEpochMilli(defined.utime()), ZoneOffset.UTC)
                .orElseThrow()
                .toEpochMilli());
    assertThat(scheduler.pollOnce()).as("not due yet").isFalse();

    long due = makeDue("ranking");
    assertThat(scheduler.pollOnce()).isTrue();
    assertThat(ran).containsExactly("ranking {\"n\":100} true");
    JobRow after = row("ranking");
    assertThat(after.status()).isEqualTo(JobRow.WAITING);
    assertThat(after.version()).as("preempt + completion").isEqualTo(2);
    long expectedNext =
        CronSchedule.parse(DAILY)
            .nextAfter(Instant.ofEpochMilli(Math.max(after.utime(), due)), ZoneOffset.UTC)
            .orElseThrow()
            .toEpochMilli();
    assertThat(after.nextTime()).isEqualTo(expectedNext).isGreaterThan(clock.millis());
    assertThat(scheduler.pollOnce()).as("ran once, not again").isFalse();
    assertThat(ran).hasSize(1);
    assertThat(runs(metrics, "ranking", "completed")).isEqualTo(1);
    Timer duration = metrics.find("jobs.run.duration").tag("job", "ranking").timer();
    assertThat(duration).isNotNull();
    assertThat(duration.count()).isEqualTo(1);
  }

  @Test
  void aFailingExecutorIsScheduledForItsNextFireLikeACompletedOne() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    JobScheduler scheduler =
        scheduler(
            "a",
            metrics,
            job -> {
              throw new IllegalStateException("downstream unavailable");
            });
    scheduler.define(new JobDefinition("ranking", "work", DAILY, ""));
    makeDue("ranking");
    assertThat(scheduler.pollOnce()).isTrue();
    JobRow after = row("ranking");
    assertThat(after.status()).isEqualTo(JobRow.WAITING);
    assertThat(after.nextTime()).isGreaterThan(clock.millis());
    assertThat(runs(metrics, "ranking", "failed")).isEqualTo(1);
    assertThat(scheduler.pollOnce()).isFalse();
  }

  @Test
  void defineIsIdempotentAcrossRacingInstancesAndUpdatesAChangedDefinition() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<JobScheduler> racers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      racers.add(scheduler("r" + i, metrics, job -> {}));
    }
    JobDefinition def = new JobDefinition("ranking", "work", DAILY, "{}");
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> defines = new ArrayList<>();
    for (JobScheduler racer : racers) {
      defines.add(
          threads.submit(
              () -> {
                go.await();
                racer.define(def);
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : defines) {
      f.get(30, TimeUnit.SECONDS);
    }
    assertThat(dsl.fetchCount(JobTable.JOBS)).isEqualTo(1);
    JobRow first = row("ranking");
    racers.get(0).define(def);
    assertThat(row("ranking")).as("unchanged definition: nothing written").isEqualTo(first);

    // A changed cron: expression and next_time change; version and status stay.
    racers.get(1).define(new JobDefinition("ranking", "work", "0 30 4 * * ?", "{\"n\":5}"));
    JobRow changed = row("ranking");
    assertThat(changed.expression()).isEqualTo("0 30 4 * * ?");
    assertThat(changed.cfg()).isEqualTo("{\"n\":5}");
    assertThat(changed.version()).isEqualTo(first.version());
    assertThat(changed.status()).isEqualTo(JobRow.WAITING);
    assertThat(Instant.ofEpochMilli(changed.nextTime()).atZone(ZoneOffset.UTC).getMinute())
        .isEqualTo(30);
  }

  @Test
  void aHolderThatStopsRenewingIsTakenOverNotBeforeThreeRenewalsAndItsEndChangesNothing()
      throws Exception {
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
    CountDownLatch aStarted = new CountDownLatch(1);
    CountDownLatch aMayEnd = new CountDownLatch(1);
    AtomicBoolean aSawLoss = new AtomicBoolean();
    JobScheduler a =
        scheduler(
            "a",
            metricsA,
            job -> {
              aStarted.countDown();
              aMayEnd.await();
              aSawLoss.set(!job.held());
            });
    AtomicLong bStartedAt = new AtomicLong();
    AtomicLong bVersion = new AtomicLong();
    JobScheduler b =
        scheduler(
            "b",
            metricsB,
            job -> {
              bStartedAt.set(clock.millis());
              bVersion.set(job.version());
            });
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    long due = makeDue("ranking");

    a.suspendRenewals(true); // A freezes: its executor runs on, its heartbeat stops
    Future<Boolean> aRun = threads.submit(a::pollOnce);
    assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
    JobRow held = row("ranking");
    assertThat(held.status()).isEqualTo(JobRow.RUNNING);
    long preemptedAt = held.utime();

    while (!b.pollOnce()) {
      Thread.sleep(20);
      assertThat(clock.millis() - preemptedAt).as("B took over in time").isLessThan(15_000);
    }
    long waited = bStartedAt.get() - preemptedAt;
    System.out.printf(
        "takeover %d ms after the last heartbeat (stale after %d)%n", waited, STALE_MS);
    assertThat(waited).as("not before 3 x renew").isGreaterThanOrEqualTo(STALE_MS);
    assertThat(waited).as("soon after (B polls every 20 ms)").isLessThan(STALE_MS + 5_000);
    assertThat(bVersion.get()).isEqualTo(held.version() + 1);
    assertThat(count(metricsB, "jobs.takeovers", "ranking")).isEqualTo(1);
    assertThat(runs(metricsB, "ranking", "completed")).isEqualTo(1);
    JobRow afterB = row("ranking");
    assertThat(afterB.status()).isEqualTo(JobRow.WAITING);
    assertThat(afterB.nextTime()).isGreaterThan(due);

    // A thaws: its next renewal finds the row taken, so held() turns false before it ends.
    a.suspendRenewals(false);
    await(
        "A's renewal notices the loss",
        Duration.ofSeconds(10),
        () -> count(metricsA, "jobs.holds.lost", "ranking") == 1);
    aMayEnd.countDown();
    assertThat(aRun.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(aSawLoss).as("A's executor saw held() false").isTrue();
    assertThat(runs(metricsA, "ranking", "lost")).isEqualTo(1);
    assertThat(runs(metricsA, "ranking", "completed")).isZero();
    assertThat(row("ranking")).as("A's end changed nothing").isEqualTo(afterB);
  }

  @Test
  void aFrozenHoldersLateEndIsLostEvenWithoutARenewalInBetween() throws Exception {
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    CountDownLatch aStarted = new CountDownLatch(1);
    CountDownLatch aMayEnd = new CountDownLatch(1);
    JobScheduler a =
        scheduler(
            "a",
            metricsA,
            job -> {
              aStarted.countDown();
              aMayEnd.await();
            });
    JobScheduler b = scheduler("b", new SimpleMeterRegistry(), job -> {});
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    makeDue("ranking");
    a.suspendRenewals(true);
    Future<Boolean> aRun = threads.submit(a::pollOnce);
    assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
    await("B takes over", Duration.ofSeconds(15), b::pollOnce);
    JobRow afterB = row("ranking");
    aMayEnd.countDown(); // still frozen for renewals: the completion CAS is what fails
    assertThat(aRun.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(runs(metricsA, "ranking", "lost")).isEqualTo(1);
    assertThat(row("ranking")).isEqualTo(afterB);
  }

  @Test
  void aHolderThatKeepsRenewingIsNeverTakenOver() throws Exception {
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    CountDownLatch aStarted = new CountDownLatch(1);
    CountDownLatch aMayEnd = new CountDownLatch(1);
    JobScheduler a =
        scheduler(
            "a",
            metricsA,
            job -> {
              aStarted.countDown();
              aMayEnd.await();
              assertThat(job.held()).isTrue();
            });
    AtomicInteger bRuns = new AtomicInteger();
    JobScheduler b = scheduler("b", new SimpleMeterRegistry(), job -> bRuns.incrementAndGet());
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    makeDue("ranking");
    Future<Boolean> aRun = threads.submit(a::pollOnce);
    assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
    long until = System.nanoTime() + Duration.ofMillis(3 * STALE_MS).toNanos();
    while (System.nanoTime() < until) {
      assertThat(b.pollOnce()).isFalse();
      Thread.sleep(20);
    }
    aMayEnd.countDown();
    assertThat(aRun.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bRuns).hasValue(0);
    assertThat(runs(metricsA, "ranking", "completed")).isEqualTo(1);
  }

  @Test
  void aCrashedHoldersRowIsTakenOverAtOnceOnceItsHeartbeatIsStale() throws Exception {
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<Long> versions = Collections.synchronizedList(new ArrayList<>());
    JobScheduler b = scheduler("b", metrics, job -> versions.add(job.version()));
    b.define(new JobDefinition("ranking", "work", DAILY, ""));
    long now = clock.millis();
    // What a holder that died mid-run leaves: running, version 7, last heartbeat long ago.
    dsl.execute(
        "UPDATE jobs SET status = 1, version = 7, next_time = ?, utime = ? WHERE name = ?",
        now - 5_000,
        now - 2 * STALE_MS,
        "ranking");
    assertThat(b.pollOnce()).isTrue();
    assertThat(versions).containsExactly(8L);
    assertThat(count(metrics, "jobs.takeovers", "ranking")).isEqualTo(1);
    assertThat(row("ranking").version()).isEqualTo(9);

    // Fresh heartbeat: not taken.
    dsl.execute(
        "UPDATE jobs SET status = 1, next_time = ?, utime = ? WHERE name = ?",
        now - 5_000,
        clock.millis(),
        "ranking");
    assertThat(b.pollOnce()).isFalse();
  }

  @Test
  void thePreemptCasRechecksStalenessSoAHolderThatRenewedAfterTheReadKeepsItsJob() {
    scheduler("x", new SimpleMeterRegistry(), job -> {})
        .define(new JobDefinition("ranking", "work", DAILY, ""));
    long now = clock.millis();
    dsl.execute(
        "UPDATE jobs SET status = 1, version = 3, next_time = ?, utime = ? WHERE name = ?",
        now - 5_000,
        now - 2 * STALE_MS,
        "ranking");
    long staleBefore = now - STALE_MS;
    List<JobRow> candidates = table.dueCandidates(now, staleBefore, List.of("work"), 8);
    assertThat(candidates).extracting(JobRow::name).containsExactly("ranking");
    JobRow stale = candidates.get(0);
    assertThat(table.renew(stale.id(), 3, now)).as("the holder renews meanwhile").isTrue();
    assertThat(table.preempt(stale.id(), stale.version(), now, staleBefore)).isFalse();
    assertThat(row("ranking").version()).isEqualTo(3);
    assertThat(table.dueCandidates(now, staleBefore, List.of("other"), 8))
        .as("only executors this instance has")
        .isEmpty();
  }

  /** One run per fire time, by whichever of five instances wins each one. */
  @Test
  void fiveRacingSchedulersRunEachFireTimeExactlyOnce() throws Exception {
    record Run(String holder, long dueAt, long version) {}
    List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    List<JobScheduler> racers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String holder = "r" + i;
      racers.add(
          scheduler(
              holder,
              metrics,
              job -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                  runs.add(new Run(holder, job.dueAt().toEpochMilli(), job.version()));
                  Thread.sleep(50); // widen the window in which another could wrongly run it
                } finally {
                  concurrent.decrementAndGet();
                }
              }));
    }
    racers.get(0).define(new JobDefinition("tick", "work", "* * * * * ?", ""));
    long end = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> loops = new ArrayList<>();
    for (JobScheduler racer : racers) {
      loops.add(
          threads.submit(
              () -> {
                go.await();
                while (System.nanoTime() < end) {
                  racer.pollOnce();
                  Thread.sleep(5);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> loop : loops) {
      loop.get(60, TimeUnit.SECONDS);
    }

    List<Run> all = List.copyOf(runs);
    Map<String, Integer> perHolder = new ConcurrentHashMap<>();
    all.forEach(r -> perHolder.merge(r.holder(), 1, Integer::sum));
    System.out.printf(
        "%d runs in 8 s, per holder %s, preempt conflicts %.0f%n",
        all.size(),
        perHolder,
        metrics.find("jobs.preempt.conflicts").counters().stream()
            .mapToDouble(Counter::count)
            .sum());
    Set<Long> dueTimes = new HashSet<>();
    Set<Long> versions = new HashSet<>();
    for (Run r : all) {
      assertThat(dueTimes.add(r.dueAt())).as("fire time %d ran once: %s", r.dueAt(), all).isTrue();
      assertThat(versions.add(r.version())).as("version %d held once", r.version()).isTrue();
      assertThat(r.dueAt() % 1000).as("a whole-second fire time").isZero();
    }
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).dueAt()).isGreaterThan(all.get(i - 1).dueAt());
    }
    assertThat(maxConcurrent).as("never two runs at once").hasValue(1);
    assertThat(all.size()).as("the job kept running").isBetween(4, 9);
  }

  @Test
  void pausedJobsNeverRunUntilResumed() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    JobScheduler a = scheduler("a", new SimpleMeterRegistry(), job -> ran.incrementAndGet());
    JobScheduler b = scheduler("b", new SimpleMeterRegistry(), job -> ran.incrementAndGet());
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    makeDue("ranking");
    dsl.execute("UPDATE jobs SET status = 2 WHERE name = ?", "ranking");
    JobRow paused = row("ranking");
    a.start(); // the background loop polls every 50 ms
    b.start();
    for (int i = 0; i < 10; i++) {
      assertThat(a.pollOnce()).isFalse();
      assertThat(b.pollOnce()).isFalse();
      Thread.sleep(50);
    }
    // A redefinition keeps it paused.
    a.define(new JobDefinition("ranking", "work", DAILY, "{\"changed\":true}"));
    Thread.sleep(200);
    assertThat(ran).hasValue(0);
    assertThat(row("ranking").status()).isEqualTo(JobRow.PAUSED);
    assertThat(row("ranking").version()).isEqualTo(paused.version());

    dsl.execute("UPDATE jobs SET status = 0, next_time = ? WHERE name = ?", 0L, "ranking");
    await("the resumed job runs in the background", Duration.ofSeconds(10), () -> ran.get() == 1);
    Thread.sleep(300);
    assertThat(ran).as("once").hasValue(1);
  }

  @Test
  void theBackgroundLoopPollsOnlyWhileMayPreemptSaysSo() throws Exception {
    AtomicBoolean leader = new AtomicBoolean();
    AtomicInteger ran = new AtomicInteger();
    JobScheduler a =
        scheduler("a", new SimpleMeterRegistry(), leader::get, job -> ran.incrementAndGet());
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    makeDue("ranking");
    a.start();
    Thread.sleep(500); // ten poll intervals
    assertThat(ran).hasValue(0);
    leader.set(true);
    await("the leader runs it", Duration.ofSeconds(10), () -> ran.get() == 1);
  }

  @Test
  void closeReleasesAHeldJobSoAnotherRunsItAtOnce() throws Exception {
    SimpleMeterRegistry metricsA = new SimpleMeterRegistry();
    SimpleMeterRegistry metricsB = new SimpleMeterRegistry();
    CountDownLatch aStarted = new CountDownLatch(1);
    AtomicBoolean aInterrupted = new AtomicBoolean();
    AtomicBoolean aHeldAfterInterrupt = new AtomicBoolean(true);
    JobScheduler a =
        scheduler(
            "a",
            metricsA,
            job -> {
              aStarted.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                aInterrupted.set(true);
                aHeldAfterInterrupt.set(job.held());
                throw e;
              }
            });
    List<Long> bDue = Collections.synchronizedList(new ArrayList<>());
    JobScheduler b = scheduler("b", metricsB, job -> bDue.add(job.dueAt().toEpochMilli()));
    a.define(new JobDefinition("ranking", "work", DAILY, ""));
    long due = makeDue("ranking");
    a.start(); // the background loop holds it, so close() must interrupt the poll thread's run
    assertThat(aStarted.await(10, TimeUnit.SECONDS)).isTrue();
    long preempted = row("ranking").utime();

    a.close();
    assertThat(aInterrupted).isTrue();
    assertThat(aHeldAfterInterrupt).as("held() false while closing").isFalse();
    JobRow released = row("ranking");
    assertThat(released.status()).isEqualTo(JobRow.WAITING);
    assertThat(released.nextTime()).as("due time unchanged").isEqualTo(due);
    assertThat(runs(metricsA, "ranking", "released")).isEqualTo(1);

    assertThat(b.pollOnce()).as("B runs it at once, no staleness wait").isTrue();
    assertThat(clock.millis() - preempted).isLessThan(STALE_MS + 10_000); // informational bound
    assertThat(bDue).containsExactly(due);
    assertThat(count(metricsB, "jobs.takeovers", "ranking")).isZero();
    assertThat(a.pollOnce()).as("a closed scheduler polls no more").isFalse();
  }
}
