package com.webook.user.service;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.user.domain.DuplicateKeyException;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.UserCredentials;
import com.webook.user.domain.WechatInfo;
import com.webook.user.repository.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Account rules (SPEC §4.2, §4.3, §4.7). Callers validate the shape of their input (the gRPC layer
 * does); this class owns what depends on stored data: uniqueness, credentials, existence.
 * Thread-safe.
 */
public final class UserService {
  /** The one answer to a failed login, whether the email is unknown or the password wrong. */
  public static final String BAD_CREDENTIALS = "invalid email or password";

  private final UserRepository users;
  private final PasswordHasher hasher;
  private final Clock clock;

  /**
   * A real hash of a random password with the configured cost. Logins for unknown emails verify
   * against it, so they take as long as logins with a wrong password (no account enumeration by
   * timing).
   */
  private final String dummyHash;

  public UserService(UserRepository users, PasswordHasher hasher, Clock clock) {
    this.users = users;
    this.hasher = hasher;
    this.clock = clock;
    this.dummyHash = hasher.hash(UUID.randomUUID().toString());
  }

  /**
   * Creates an email account. The insert itself detects a taken email (unique key), so two
   * concurrent signups cannot both succeed.
   *
   * @throws ConflictException when the email is taken
   */
  public void signup(String email, String password) {
    String hash = hasher.hash(password);
    try {
      users.create(NewUser.withEmail(email, hash, now()));
    } catch (DuplicateKeyException e) {
      throw new ConflictException("email already registered", e);
    }
  }

  /**
   * The user owning {@code email} if {@code password} matches. Exactly one hash verification runs
   * whether or not the email exists.
   *
   * @throws InvalidInputException with {@link #BAD_CREDENTIALS} for an unknown email or a wrong
   *     password alike
   */
  public User login(String email, String password) {
    Optional<UserCredentials> found = users.findCredentialsByEmail(email);
    String hash = found.map(UserCredentials::passwordHash).orElse(null);
    boolean matches = hasher.verify(password, hash != null ? hash : dummyHash);
    if (found.isEmpty() || hash == null || !matches) {
      throw new InvalidInputException(BAD_CREDENTIALS);
    }
    return found.get().user();
  }

  /**
   * The user with this id.
   *
   * @throws NotFoundException when no user has this id
   */
  public User profile(long id) {
    return users.findById(id).orElseThrow(() -> new NotFoundException("user " + id + " not found"));
  }

  /** Profiles of many users; unknown ids are absent. */
  public Map<Long, User> batchProfile(Collection<Long> ids) {
    return users.findByIds(ids);
  }

  /**
   * Replaces nickname, birthday ({@code null} clears it) and aboutMe; nothing else changes.
   *
   * @throws NotFoundException when no user has this id
   */
  public void updateNonSensitiveInfo(long id, String nickname, Instant birthday, String aboutMe) {
    Instant stored = birthday == null ? null : birthday.truncatedTo(ChronoUnit.MILLIS);
    if (!users.updateNonSensitive(id, nickname, stored, aboutMe, now())) {
      throw new NotFoundException("user " + id + " not found");
    }
  }

  /** The user owning {@code phone}, created (without email or password) when there is none. */
  public User findOrCreateByPhone(String phone) {
    return findOrCreate(() -> users.findByPhone(phone), NewUser.withPhone(phone, now()), "phone");
  }

  /** The user owning this WeChat openId, created when there is none. */
  public User findOrCreateByWechat(WechatInfo wechat) {
    return findOrCreate(
        () -> users.findByWechatOpenId(wechat.openId()),
        NewUser.withWechat(wechat, now()),
        "wechat openId");
  }

  /**
   * Find; if absent insert; a duplicate key on insert means a concurrent request created the user
   * between our find and our insert, so find again (SPEC §4.7). Every concurrent caller therefore
   * gets the same user.
   */
  private User findOrCreate(Supplier<Optional<User>> find, NewUser candidate, String identity) {
    Optional<User> existing = find.get();
    if (existing.isPresent()) {
      return existing.get();
    }
    try {
      long id = users.create(candidate);
      return new User(
          id,
          candidate.email(),
          candidate.phone(),
          "",
          null,
          "",
          candidate.wechat(),
          candidate.ctime(),
          candidate.ctime());
    } catch (DuplicateKeyException e) {
      return find.get()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "insert by " + identity + " hit a duplicate key, yet no user owns it", e));
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
