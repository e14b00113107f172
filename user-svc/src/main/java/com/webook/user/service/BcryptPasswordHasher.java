package com.webook.user.service;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt ($2a$, the variant Go's {@code golang.org/x/crypto/bcrypt} writes) with a configurable
 * cost. bcrypt reads at most 72 bytes: hashing a longer password is refused (signup's rule already
 * caps it at 72 ASCII characters), and verifying one always fails, after spending the same work as
 * any other verification so that its timing tells nothing. Thread-safe.
 */
public final class BcryptPasswordHasher implements PasswordHasher {
  static final int MAX_PASSWORD_BYTES = 72;

  private final int cost;
  private final BCrypt.Hasher hasher =
      BCrypt.with(
          BCrypt.Version.VERSION_2A, LongPasswordStrategies.strict(BCrypt.Version.VERSION_2A));
  // "none" lets the verifier run on over-long input (its result is then ignored) instead of
  // throwing before any work is done.
  private final BCrypt.Verifyer verifier =
      BCrypt.verifyer(BCrypt.Version.VERSION_2A, LongPasswordStrategies.none());

  public BcryptPasswordHasher(int cost) {
    if (cost < BCrypt.MIN_COST || cost > BCrypt.MAX_COST) {
      throw new IllegalArgumentException(
          "bcrypt cost must be between " + BCrypt.MIN_COST + " and " + BCrypt.MAX_COST);
    }
    this.cost = cost;
  }

  @Override
  public String hash(String password) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw new IllegalArgumentException(
          "bcrypt reads at most " + MAX_PASSWORD_BYTES + " bytes of a password");
    }
    return hasher.hashToString(cost, password.toCharArray());
  }

  @Override
  public boolean verify(String password, String hash) {
    if (hash == null || hash.isEmpty()) {
      return false;
    }
    boolean tooLong = password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES;
    BCrypt.Result result = verifier.verify(password.toCharArray(), hash);
    return result.validFormat && result.verified && !tooLong;
  }
}
