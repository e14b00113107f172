package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.bff.session.SessionStore;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The logged-out check of an authenticated request starts before the per-IP limit is consulted (so
 * both Redis commands travel together, one wait instead of two), once per request, and without
 * changing any answer: the limit still refuses first, logged-out and unverifiable tokens are still
 * 401 with their reason counted once, a failing store still fails closed.
 */
class SessionPrefetchTest {
  private final RecordingSessions sessions = new RecordingSessions();
  private final AtomicInteger checksStartedWhenLimited = new AtomicInteger(-1);
  private final AtomicBoolean overTheLimit = new AtomicBoolean();
  private TestBff bff;
  private String token;

  @BeforeEach
  void start() {
    bff =
        TestBff.inMemory(
            Map.of(),
            sessions,
            key -> {
              checksStartedWhenLimited.set(sessions.started.get());
              return overTheLimit.get();
            });
    token = TestBff.accessToken(bff.signupAndLogin("prefetch@test.com", "hello#world123"));
    sessions.started.set(0);
  }

  @AfterEach
  void stop() {
    bff.close();
  }

  private int profileStatus(String bearer) {
    return bff.get("/users/profile", "Authorization", "Bearer " + bearer).statusCode();
  }

  @Test
  void theSessionCheckIsUnderWayWhenTheLimitIsAskedAndRunsOncePerRequest() {
    assertThat(profileStatus(token)).isEqualTo(200);
    assertThat(checksStartedWhenLimited.get()).as("checks started before the limit").isEqualTo(1);
    assertThat(sessions.started.get()).as("checks per request").isEqualTo(1);
  }

  @Test
  void theLimitStillRefusesFirst() {
    overTheLimit.set(true);
    sessions.loggedOut.add(TestBff.ssid(token));
    assertThat(profileStatus(token)).isEqualTo(429);
  }

  @Test
  void aLoggedOutSessionIsStill401() {
    sessions.loggedOut.add(TestBff.ssid(token));
    assertThat(profileStatus(token)).isEqualTo(401);
    assertThat(bff.authFailures("access", "logged_out")).isEqualTo(1.0);
  }

  @Test
  void aFailingStoreStillFailsClosed() {
    sessions.failing.set(true);
    assertThat(profileStatus(token)).isEqualTo(401);
    assertThat(bff.authFailures("access", "session_store_error")).isEqualTo(1.0);
  }

  @Test
  void aTokenThatDoesNotVerifyIsLeftToTheLoginCheckAndCountedOnce() {
    assertThat(profileStatus(token + "x")).isEqualTo(401);
    assertThat(sessions.started.get()).as("no check for a forged token").isZero();
    assertThat(bff.authFailures("access", "signature")).isEqualTo(1.0);
  }

  @Test
  void aPublicRouteWithAValidTokenIgnoresTheAnswer() {
    sessions.loggedOut.add(TestBff.ssid(token));
    assertThat(bff.get("/hello", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
  }

  /** Logouts in memory, counting the checks started, optionally failing every answer. */
  private static final class RecordingSessions implements SessionStore {
    final Set<String> loggedOut = ConcurrentHashMap.newKeySet();
    final AtomicInteger started = new AtomicInteger();
    final AtomicBoolean failing = new AtomicBoolean();

    @Override
    public boolean isLoggedOut(String ssid) {
      return isLoggedOutAsync(ssid).toCompletableFuture().join();
    }

    @Override
    public CompletionStage<Boolean> isLoggedOutAsync(String ssid) {
      started.incrementAndGet();
      return failing.get()
          ? CompletableFuture.failedFuture(new IllegalStateException("store down"))
          : CompletableFuture.completedFuture(loggedOut.contains(ssid));
    }

    @Override
    public void logOut(String ssid, Duration ttl) {
      loggedOut.add(ssid);
    }
  }
}
