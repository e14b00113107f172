package com.webook.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.api.article.v1.Article;
import com.webook.ranking.testing.RankingCluster;
import com.webook.ranking.testing.RankingCluster.Instance;
import com.webook.ranking.testing.RankingCluster.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ranking-svc's scheduling as processes (issue 10; README "Scheduling"): three or two instances
 * over short periods (4 s), real Redis, MariaDB and etcd, the sources faked at the gRPC boundary.
 * Each run is recorded in {@code ranking_runs}; the assertions count them.
 */
class RankingClusterIT {
  private static final long PERIOD_MS = RankingCluster.PERIOD.toMillis();

  private static void seed(RankingCluster cluster, int n) {
    Instant now = Instant.now();
    for (long id = 1; id <= n; id++) {
      cluster.articles.publish(id, now.minus(Duration.ofMinutes(id)));
      cluster.counters.likes(id, id * 3 % 97);
    }
  }

  @Test
  void exactlyOneComputationPerPeriodAndAKilledLeaderIsReplacedWithinAPeriodPlusTheLockTtl()
      throws Exception {
    try (RankingCluster cluster = new RankingCluster(Map.of())) {
      seed(cluster, 50);
      cluster.load("r1", 10);
      cluster.load("r2", 20);
      cluster.load("r3", 30);
      cluster.start("r1");
      cluster.start("r2");
      cluster.start("r3");

      await("a first published run", Duration.ofSeconds(30), () -> published(cluster) > 0);
      Instant first = cluster.runs().getFirst().due();
      Instant until = first.plusMillis(10 * PERIOD_MS);
      await(
          "ten periods",
          Duration.ofSeconds(60),
          () -> cluster.runs().stream().anyMatch(r -> !r.due().isBefore(until)));

      // The ten fire times from the first: each has exactly one run, by one instance.
      List<Run> runs = cluster.runs().stream().filter(r -> r.due().isBefore(until)).toList();
      Map<Instant, Long> perFireTime =
          runs.stream().collect(Collectors.groupingBy(Run::due, Collectors.counting()));
      System.out.printf(
          "cluster IT: %d runs over 10 periods, by %s%n",
          runs.size(),
          runs.stream()
              .collect(
                  Collectors.groupingBy(r -> cluster.nameOf(r.instance()), Collectors.counting())));
      assertThat(perFireTime)
          .as("runs per fire time")
          .hasSize(10)
          .allSatisfy((t, n) -> assertThat(n).isOne());
      assertThat(runs).allMatch(r -> r.outcome().equals("published"));
      assertThat(runs.stream().map(r -> r.due().toEpochMilli() % PERIOD_MS).distinct())
          .as("fire times on the period's grid")
          .containsExactly(0L);
      assertThat(cluster.nameOf(runs.getLast().instance()))
          .as("the lowest-loaded instance leads")
          .isEqualTo("r1");

      // SIGKILL the leader in the middle of a run: the run lasts about 2 s from here on.
      cluster.articles.delay(Duration.ofMillis(1000));
      long pages = cluster.articles.firstPages();
      await(
          "the next run started",
          Duration.ofSeconds(10),
          () -> cluster.articles.firstPages() > pages);
      String leader = cluster.lockHolder();
      assertThat(leader).isEqualTo("r1");
      cluster.instance(leader).process().kill();
      Instant killed = Instant.now();
      int before = cluster.runs().size();
      await(
          "a run by another instance",
          Duration.ofSeconds(30),
          () ->
              cluster.runs().stream().skip(before).anyMatch(r -> r.outcome().equals("published")));
      Run next =
          cluster.runs().stream()
              .skip(before)
              .filter(r -> r.outcome().equals("published"))
              .findFirst()
              .orElseThrow();
      Duration takeover = Duration.between(killed, next.started());
      System.out.printf(
          "cluster IT: leader killed mid-run; %s started the next run %d ms later%n",
          cluster.nameOf(next.instance()), takeover.toMillis());
      assertThat(cluster.nameOf(next.instance())).isIn("r2", "r3");
      assertThat(takeover).isLessThanOrEqualTo(RankingCluster.PERIOD.plus(RankingCluster.LOCK_TTL));
    }
  }

  @Test
  void aRunPausedPastItsLockDoesNotOverwriteTheNewerList() throws Exception {
    // The paused run's ListPub answer waits in its socket; with the default 2 s deadline it would
    // just fail on resume, which proves nothing about the fence.
    try (RankingCluster cluster =
        new RankingCluster(Map.of("WEBOOK_CLIENTS_ARTICLE_DEADLINE", "60s"))) {
      seed(cluster, 20);
      cluster.load("r1", 10);
      cluster.load("r2", 20);
      Instance r1 = cluster.start("r1");
      cluster.start("r2");
      await("r1 published", Duration.ofSeconds(30), () -> published(cluster) > 0);

      cluster.articles.delay(Duration.ofMillis(1500));
      long pages = cluster.articles.firstPages();
      await(
          "r1's next run started",
          Duration.ofSeconds(10),
          () -> cluster.articles.firstPages() > pages);
      assertThat(cluster.lockHolder()).isEqualTo("r1");
      r1.process().pause();
      Instant paused = Instant.now();
      cluster.articles.delay(Duration.ZERO);
      // Other data for the newer runs, so the lists differ.
      cluster.counters.likes(20, 10_000);
      await(
          "r2 published while r1 is paused",
          Duration.ofSeconds(30),
          () ->
              cluster.runs().stream()
                  .anyMatch(
                      r ->
                          cluster.nameOf(r.instance()).equals("r2")
                              && r.outcome().equals("published")
                              && r.started().isAfter(paused)));
      // r2 leads now: keep it the leader after r1 is back.
      cluster.load("r1", 90);
      r1.process().resume();
      await(
          "r1's paused run recorded",
          Duration.ofSeconds(30),
          () ->
              cluster.runs().stream()
                  .anyMatch(
                      r ->
                          r.started().isBefore(paused)
                              && cluster.nameOf(r.instance()).equals("r1")
                              && !r.outcome().equals("published")));
      Run stale =
          cluster.runs().stream()
              .filter(r -> cluster.nameOf(r.instance()).equals("r1"))
              .reduce((a, b) -> b)
              .orElseThrow();
      System.out.printf("pause IT: r1's paused run ended %s%n", stale.outcome());
      assertThat(stale.outcome()).isIn("fenced", "lost");
      Thread.sleep(500);
      List<Article> served = cluster.instance("r2").topN().getArticlesList();
      assertThat(served.getFirst().getId())
          .as("the newer list, with article 20 first")
          .isEqualTo(20);
      assertThat(cluster.storedList()).contains("\"id\":20");
      assertThat(latestPublished(cluster).started()).isAfter(paused);
    }
  }

  @Test
  void loadMovesLeadershipAwayAndAllLoadedStillComputeExactlyOnce() throws Exception {
    try (RankingCluster cluster = new RankingCluster(Map.of())) {
      seed(cluster, 10);
      cluster.load("r1", 10);
      cluster.load("r2", 20);
      cluster.load("r3", 30);
      cluster.start("r1");
      cluster.start("r2");
      cluster.start("r3");
      await("r1 published", Duration.ofSeconds(30), () -> leaderOfLastRun(cluster).equals("r1"));

      cluster.load("r1", 95); // above handoverLoad (80): it hands over after its next run
      Instant raised = Instant.now();
      await(
          "a run by r2 within two periods",
          RankingCluster.PERIOD.multipliedBy(2).plusSeconds(2),
          () ->
              cluster.runs().stream()
                  .anyMatch(
                      r ->
                          r.started().isAfter(raised)
                              && cluster.nameOf(r.instance()).equals("r2")));

      cluster.load("r1", 90);
      cluster.load("r2", 95);
      cluster.load("r3", 99);
      Instant allLoaded = Instant.now().plus(RankingCluster.PERIOD);
      Instant until = allLoaded.plus(RankingCluster.PERIOD.multipliedBy(5));
      await(
          "five periods all loaded",
          Duration.ofSeconds(60),
          () -> cluster.runs().stream().anyMatch(r -> !r.due().isBefore(until)));
      List<Run> runs =
          cluster.runs().stream()
              .filter(r -> !r.due().isBefore(allLoaded) && r.due().isBefore(until))
              .toList();
      Map<Instant, Long> perFireTime =
          runs.stream().collect(Collectors.groupingBy(Run::due, Collectors.counting()));
      System.out.printf(
          "load IT: all loaded, %d runs in 5 periods by %s%n",
          runs.size(), runs.stream().map(r -> cluster.nameOf(r.instance())).toList());
      assertThat(perFireTime).hasSize(5).allSatisfy((t, n) -> assertThat(n).isOne());
      assertThat(runs).allMatch(r -> r.outcome().equals("published"));
    }
  }

  private static long published(RankingCluster cluster) {
    return cluster.runs().stream().filter(r -> r.outcome().equals("published")).count();
  }

  private static Run latestPublished(RankingCluster cluster) {
    return cluster.runs().stream()
        .filter(r -> r.outcome().equals("published"))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  private static String leaderOfLastRun(RankingCluster cluster) {
    List<Run> runs = cluster.runs();
    return runs.isEmpty() ? "" : cluster.nameOf(runs.getLast().instance());
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
      }
      Thread.sleep(100);
    }
  }
}
