package com.webook.user.testing;

import com.webook.user.domain.DuplicateKeyException;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.UserCredentials;
import com.webook.user.repository.UserRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link UserRepository} in memory with the same unique keys as the table (email, phone, openId;
 * empty values are not keys). Hooks let a test inject a failure or play a concurrent request.
 * Thread-safe (every method is synchronized).
 */
public final class InMemoryUserRepository implements UserRepository {
  private final Map<Long, User> users = new LinkedHashMap<>();
  private final Map<Long, String> hashes = new HashMap<>();
  private long nextId = 1;
  private RuntimeException failure;
  private Consumer<InMemoryUserRepository> beforeCreate = r -> {};

  /** Every later call throws {@code e} (null clears). */
  public synchronized void failWith(RuntimeException e) {
    this.failure = e;
  }

  /** Runs once before the next {@link #create}, e.g. to insert a competing user first. */
  public synchronized void beforeNextCreate(Consumer<InMemoryUserRepository> hook) {
    this.beforeCreate = hook;
  }

  public synchronized int size() {
    return users.size();
  }

  public synchronized Optional<String> passwordHashOf(long id) {
    return Optional.ofNullable(hashes.get(id));
  }

  @Override
  public synchronized long create(NewUser u) {
    check();
    Consumer<InMemoryUserRepository> hook = beforeCreate;
    beforeCreate = r -> {};
    hook.accept(this);
    for (User existing : users.values()) {
      if (same(existing.email(), u.email())
          || same(existing.phone(), u.phone())
          || same(existing.wechat().openId(), u.wechat().openId())) {
        throw new DuplicateKeyException("duplicate", null);
      }
    }
    long id = nextId++;
    users.put(
        id, new User(id, u.email(), u.phone(), "", null, "", u.wechat(), u.ctime(), u.ctime()));
    if (u.passwordHash() != null) {
      hashes.put(id, u.passwordHash());
    }
    return id;
  }

  @Override
  public synchronized Optional<UserCredentials> findCredentialsByEmail(String email) {
    check();
    return users.values().stream()
        .filter(u -> same(u.email(), email))
        .findFirst()
        .map(u -> new UserCredentials(u, hashes.get(u.id())));
  }

  @Override
  public synchronized Optional<User> findById(long id) {
    check();
    return Optional.ofNullable(users.get(id));
  }

  @Override
  public synchronized Map<Long, User> findByIds(Collection<Long> ids) {
    check();
    Map<Long, User> found = new HashMap<>();
    ids.forEach(
        id -> {
          if (users.containsKey(id)) {
            found.put(id, users.get(id));
          }
        });
    return found;
  }

  @Override
  public synchronized Optional<User> findByPhone(String phone) {
    check();
    return users.values().stream().filter(u -> same(u.phone(), phone)).findFirst();
  }

  @Override
  public synchronized Optional<User> findByWechatOpenId(String openId) {
    check();
    return users.values().stream().filter(u -> same(u.wechat().openId(), openId)).findFirst();
  }

  @Override
  public synchronized boolean updateNonSensitive(
      long id, String nickname, Instant birthday, String aboutMe, Instant utime) {
    check();
    User u = users.get(id);
    if (u == null) {
      return false;
    }
    users.put(
        id,
        new User(
            id, u.email(), u.phone(), nickname, birthday, aboutMe, u.wechat(), u.ctime(), utime));
    return true;
  }

  private void check() {
    if (failure != null) {
      throw failure;
    }
  }

  private static boolean same(String a, String b) {
    return !a.isEmpty() && a.equals(b);
  }
}
