package com.webook.user.service;

/**
 * One-way password hashing. A seam so tests can count verifications (the login timing rule of SPEC
 * §4.2) without paying bcrypt's cost; production uses {@link BcryptPasswordHasher}.
 */
public interface PasswordHasher {
  /** A salted hash of {@code password} to store. */
  String hash(String password);

  /** Whether {@code password} matches {@code hash}; false (never an exception) for any mismatch. */
  boolean verify(String password, String hash);
}
