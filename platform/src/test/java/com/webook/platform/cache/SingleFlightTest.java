package com.webook.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightTest {
  private final SingleFlight<Long, String> flight = new SingleFlight<>();

  @Test
  void concurrentLoadsOfOneKeyRunTheLoaderOnceAndShareItsValue() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    List<SingleFlight.Loaded<String>> results = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread leader =
        Thread.ofVirtual()
            .start(
                () ->
                    results.add(
                        flight.load(
                            7L,
                            () -> {
                              runs.incrementAndGet();
                              await(release);
                              return "seven";
                            })));
    while (flight.inFlight() == 0) {
      Thread.onSpinWait();
    }
    List<Thread> followers = new ArrayList<>();
    for (int i = 0; i < 19; i++) {
      followers.add(
          Thread.ofVirtual()
              .start(() -> results.add(flight.load(7L, () -> "own " + runs.incrementAndGet()))));
    }
    // Each follower parks on the leader's future: the only place load() can wait.
    for (Thread f : followers) {
      while (f.getState() != Thread.State.WAITING) {
        Thread.onSpinWait();
      }
    }
    assertThat(flight.waiting()).isEqualTo(19);
    release.countDown();
    leader.join();
    for (Thread f : followers) {
      f.join();
    }
    assertThat(runs).hasValue(1);
    assertThat(results).hasSize(20).allSatisfy(r -> assertThat(r.value()).isEqualTo("seven"));
    assertThat(results).filteredOn(r -> r.role() == SingleFlight.Role.LEADER).hasSize(1);
    assertThat(flight.inFlight()).isZero();
    assertThat(flight.waiting()).isZero();
  }

  @Test
  void otherKeysDoNotWait() {
    CountDownLatch never = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      pool.submit(() -> flight.load(1L, () -> await(never)));
      while (flight.inFlight() == 0) {
        Thread.onSpinWait();
      }
      assertThat(flight.load(2L, () -> "two").value()).isEqualTo("two");
      never.countDown();
    }
  }

  @Test
  void theLoadersExceptionReachesTheLeaderAndTheFlightEnds() {
    assertThatThrownBy(
            () ->
                flight.load(
                    3L,
                    () -> {
                      throw new IllegalStateException("db down");
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("db down");
    assertThat(flight.inFlight()).isZero();
    assertThat(flight.load(3L, () -> "three").value()).isEqualTo("three");
  }

  @Test
  void aFollowerGetsTheLeadersException() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread leader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    flight.load(
                        4L,
                        () -> {
                          await(release);
                          throw new IllegalStateException("db down");
                        });
                  } catch (IllegalStateException e) {
                    failures.add(e);
                  }
                });
    while (flight.inFlight() == 0) {
      Thread.onSpinWait();
    }
    Thread follower =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    flight.load(4L, () -> "own");
                  } catch (IllegalStateException e) {
                    failures.add(e);
                  }
                });
    while (follower.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
    release.countDown();
    leader.join();
    follower.join();
    assertThat(failures)
        .hasSize(2)
        .allSatisfy(
            e -> assertThat(e).isInstanceOf(IllegalStateException.class).hasMessage("db down"));
  }

  private static String await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "seven";
  }
}
