package com.webook.user.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BcryptPasswordHasherTest {
  private static final String PASSWORD = "hello#world123";
  private final BcryptPasswordHasher hasher = new BcryptPasswordHasher(4);
  private final String stored = hasher.hash(PASSWORD);

  @Test
  void hashesAreSaltedTwoAWithTheConfiguredCost() {
    assertThat(stored).startsWith("$2a$04$").hasSize(60);
    assertThat(hasher.hash(PASSWORD)).as("a new salt each time").isNotEqualTo(stored);
    assertThat(new BcryptPasswordHasher(5).hash(PASSWORD)).startsWith("$2a$05$");
  }

  static Stream<Arguments> verifications() {
    String p72 = "a1$" + "x".repeat(69);
    String p72b = "a1$" + "x".repeat(68) + "y";
    BcryptPasswordHasher h = new BcryptPasswordHasher(4);
    String hash72 = h.hash(p72);
    String stored = h.hash(PASSWORD);
    return Stream.of(
        Arguments.of(Named.of("the password", PASSWORD), stored, true),
        Arguments.of(Named.of("a different password", "hello#world124"), stored, false),
        Arguments.of(
            Named.of("the password with a different case", "HELLO#world123"), stored, false),
        Arguments.of(Named.of("empty", ""), stored, false),
        Arguments.of(Named.of("a 72-byte password", p72), hash72, true),
        Arguments.of(
            Named.of("a 72-byte password differing only in its last byte", p72b), hash72, false),
        Arguments.of(
            Named.of("the 72 bytes plus one more (never truncated into a match)", p72 + "z"),
            hash72,
            false),
        Arguments.of(Named.of("a 1000-byte password", "a".repeat(1000)), stored, false),
        Arguments.of(Named.of("against a hash that is not bcrypt", PASSWORD), "not-a-hash", false),
        Arguments.of(Named.of("against an empty hash", PASSWORD), "", false),
        Arguments.of(Named.of("against no hash", PASSWORD), null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verifications")
  void verifiesWithoutThrowing(String password, String hash, boolean expected) {
    assertThat(hasher.verify(password, hash)).isEqualTo(expected);
  }

  @Test
  void refusesToHashMoreThan72Bytes() {
    assertThatThrownBy(() -> hasher.hash("ä".repeat(37)))
        .as("74 bytes in UTF-8")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesCostsBcryptDoesNotSupport() {
    assertThatThrownBy(() -> new BcryptPasswordHasher(3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BcryptPasswordHasher(32))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
