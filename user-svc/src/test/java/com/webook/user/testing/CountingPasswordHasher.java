package com.webook.user.testing;

import com.webook.user.service.BcryptPasswordHasher;
import com.webook.user.service.PasswordHasher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Real bcrypt (cost 4, fast) that records every call: a spy for the login timing rule. */
public final class CountingPasswordHasher implements PasswordHasher {
  private final PasswordHasher real = new BcryptPasswordHasher(4);
  private final AtomicInteger hashes = new AtomicInteger();
  private final List<String> verifiedAgainst = new CopyOnWriteArrayList<>();

  @Override
  public String hash(String password) {
    hashes.incrementAndGet();
    return real.hash(password);
  }

  @Override
  public boolean verify(String password, String hash) {
    verifiedAgainst.add(hash);
    return real.verify(password, hash);
  }

  public int hashCount() {
    return hashes.get();
  }

  /** The stored hashes each verification compared against, in order. */
  public List<String> verifiedAgainst() {
    return List.copyOf(verifiedAgainst);
  }

  public void reset() {
    hashes.set(0);
    verifiedAgainst.clear();
  }
}
