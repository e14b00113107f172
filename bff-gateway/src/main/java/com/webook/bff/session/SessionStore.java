package com.webook.bff.session;

import java.time.Duration;

/**
 * Remembers logged-out login sessions (SPEC §2.2): a token whose {@code ssid} is listed here is
 * refused although its signature and expiry are fine. Implementations throw when they cannot
 * answer; callers fail closed.
 */
public interface SessionStore {
  /** True when the session was logged out. Throws when the store cannot answer. */
  boolean isLoggedOut(String ssid);

  /** Marks the session as logged out for {@code ttl} (the longest a token of it can live). */
  void logOut(String ssid, Duration ttl);
}
