package com.webook.bff.session;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Remembers logged-out login sessions (SPEC §2.2): a token whose {@code ssid} is listed here is
 * refused although its signature and expiry are fine. Implementations throw when they cannot
 * answer; callers fail closed.
 */
public interface SessionStore {
  /** True when the session was logged out. Throws when the store cannot answer. */
  boolean isLoggedOut(String ssid);

  /**
   * {@link #isLoggedOut}, started without waiting for the answer, so that its round trip can
   * overlap others; the stage fails when the store cannot answer. The default asks at once.
   */
  default CompletionStage<Boolean> isLoggedOutAsync(String ssid) {
    try {
      return CompletableFuture.completedFuture(isLoggedOut(ssid));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Marks the session as logged out for {@code ttl} (the longest a token of it can live). */
  void logOut(String ssid, Duration ttl);
}
