package com.webook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.webook.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 7 B.2 through real processes: HTTP load on {@code GET /users/profile} through the BFF to
 * three user-svc instances; one is frozen with SIGSTOP (its TCP connections stay open, nothing
 * answers) for several call deadlines, but well within its etcd lease (60 s), so discovery cannot
 * help: only the BFF's balancer and hedging can. No read may fail. Latency before and during the
 * freeze is measured and reported (log line, platform/README.md), not asserted.
 */
class HungInstanceIT {
  /** Several times the BFF's 2 s deadline for Profile; far below the 60 s lease. */
  private static final Duration FREEZE = Duration.ofSeconds(10);

  private static final int LOAD_THREADS = 4;
  private static WebookCluster cluster;
  private static Http http;

  @BeforeAll
  static void start() {
    cluster = new WebookCluster().startWechat();
    for (int i = 0; i < 3; i++) {
      cluster.startUserSvc(Map.of("WEBOOK_REGISTRY_LEASE_TTL", "60s"));
    }
    cluster.startArticleSvc(); // the BFF is ready only with every downstream connected
    cluster.startInteractiveSvc();
    cluster.startBff(Map.of("WEBOOK_RATE_LIMIT_LIMIT", "1000000"));
    http = new Http(cluster.baseUrl());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String ip() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(1, 255);
  }

  /** Latencies (ns) of one phase, and what failed in it. */
  private static final class Phase {
    final String name;
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    volatile long startNanos;
    volatile long endNanos;

    Phase(String name) {
      this.name = name;
    }

    long percentileMicros(double p) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      if (sorted.isEmpty()) {
        return 0;
      }
      int i = (int) Math.ceil(p * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1_000;
    }

    double throughput() {
      return latencies.size() / ((endNanos - startNanos) / 1e9);
    }

    String summary() {
      return String.format(
          "%s: %d reads, %d failed, %.0f req/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f"
              + " ms",
          name,
          latencies.size(),
          failures.size(),
          throughput(),
          percentileMicros(0.50) / 1000.0,
          percentileMicros(0.99) / 1000.0,
          percentileMicros(0.999) / 1000.0,
          percentileMicros(1.0) / 1000.0);
    }
  }

  @Test
  void aFrozenInstanceCostsNoReadAndIsEjected() throws Exception {
    String access = newUserAccessToken();
    // Every instance serves before the measurement starts (connections up, code warm).
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (int i = 0; i < 30; i++) {
                profileRead(access, new Phase("warm-up"));
              }
              return cluster.users.stream().allMatch(u -> WebookCluster.profileCalls(u) > 0);
            });

    Phase warmUp = new Phase("warm-up");
    Phase before = new Phase("before the freeze");
    Phase during = new Phase("during the freeze");
    Phase after = new Phase("after the freeze");
    AtomicReference<Phase> current = new AtomicReference<>(warmUp);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < LOAD_THREADS; t++) {
      load.add(
          Thread.ofPlatform()
              .name("profile-load-" + t)
              .start(
                  () -> {
                    while (running.get()) {
                      profileRead(access, current.get());
                    }
                  }));
    }
    WebookCluster.Instance frozen = cluster.users.get(1);
    String frozenId = "127.0.0.1:" + frozen.port();
    double ejectionsBefore = ejections(frozenId);
    try {
      awaitReads(warmUp, 2_000);
      switchTo(current, warmUp, before);
      awaitReads(before, 3_000);
      switchTo(current, before, during);
      WebookCluster.signal(frozen, "STOP");
      try {
        Thread.sleep(FREEZE.toMillis()); // the scenario: frozen this long, load going on
      } finally {
        WebookCluster.signal(frozen, "CONT");
      }
      switchTo(current, during, after);
      awaitReads(after, 1_000);
    } finally {
      running.set(false);
      for (Thread t : load) {
        t.join(30_000);
      }
      after.endNanos = System.nanoTime();
      WebookCluster.signal(frozen, "CONT"); // idempotent; never leave a stopped process behind
    }

    double ratio =
        before.percentileMicros(0.99) == 0
            ? Double.NaN
            : during.percentileMicros(0.99) / (double) before.percentileMicros(0.99);
    double ejected = ejections(frozenId) - ejectionsBefore;
    System.out.println("hung instance (SIGSTOP " + FREEZE.toSeconds() + " s, lease 60 s):");
    for (Phase p : List.of(before, during, after)) {
      System.out.println("  " + p.summary());
    }
    System.out.printf(
        "  p99 during / before = %.2f (goal <= 3); ejections of %s: %.0f%n",
        ratio, frozenId, ejected);
    cluster
        .bff
        .process()
        .log()
        .lines()
        .filter(l -> l.contains(frozenId) && (l.contains("ejecting") || l.contains("restoring")))
        .forEach(l -> System.out.println("  bff: " + l));

    assertThat(before.failures).as("failed reads before the freeze").isEmpty();
    assertThat(during.failures).as("failed reads during the freeze").isEmpty();
    assertThat(after.failures).as("failed reads after the freeze").isEmpty();
    assertThat(ejected).as("the balancer ejected the frozen instance").isPositive();
    assertThat(cluster.bff.process().log())
        .as("the BFF logged the ejection")
        .contains("ejecting " + frozenId);
  }

  private static void switchTo(AtomicReference<Phase> current, Phase from, Phase to) {
    long now = System.nanoTime();
    from.endNanos = now;
    to.startNanos = now;
    current.set(to);
  }

  private static void awaitReads(Phase phase, int reads) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> phase.latencies.size() + phase.failures.size() >= reads);
  }

  private static void profileRead(String access, Phase phase) {
    long start = System.nanoTime();
    String failure = null;
    try {
      Http.Answer a =
          http.get("/users/profile", "Authorization", "Bearer " + access, "X-Forwarded-For", ip());
      JsonNode body = a.json();
      if (a.status() != 200 || !body.has("Email")) {
        failure = a.status() + " " + a.raw().body();
      }
    } catch (AssertionError e) {
      failure = String.valueOf(e.getCause());
    }
    if (failure == null) {
      phase.latencies.add(System.nanoTime() - start);
    } else {
      phase.failures.add(failure);
    }
  }

  private static double ejections(String endpoint) {
    return WebookCluster.sample(
        WebookCluster.metrics(cluster.bff),
        "webook_balancer_ejections_total",
        "endpoint=\"" + endpoint + "\"");
  }

  private static String newUserAccessToken() {
    return http.signUpAndLogIn(TestStack.unique("hung") + "@webook.test", ip());
  }
}
