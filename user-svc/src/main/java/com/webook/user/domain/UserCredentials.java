package com.webook.user.domain;

import java.util.Objects;

/**
 * A user together with its stored password hash: what a login check needs, and nothing outside the
 * repository and the service ever sees.
 *
 * @param user the account
 * @param passwordHash bcrypt hash, or {@code null} when the account has no password
 */
public record UserCredentials(User user, String passwordHash) {
  public UserCredentials {
    Objects.requireNonNull(user, "user");
  }

  /** Keeps the hash out of logs and assertion messages. */
  @Override
  public String toString() {
    return "UserCredentials[user="
        + user
        + ", passwordHash="
        + (passwordHash == null ? "null" : "***")
        + "]";
  }
}
