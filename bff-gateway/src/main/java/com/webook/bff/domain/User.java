package com.webook.bff.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * A user as the BFF sees it (from user-svc). Absent text fields are empty strings, as on the wire.
 *
 * @param birthday the start of the birthday in the BFF's zone, or null when not set
 */
public record User(
    long id, String email, String phone, String nickname, Instant birthday, String aboutMe) {
  public Optional<Instant> birthdayIfSet() {
    return Optional.ofNullable(birthday);
  }
}
