package com.webook.user.repository;

import com.webook.user.domain.DuplicateKeyException;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.UserCredentials;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where users live. The production implementation is {@link CachedUserRepository} (MariaDB plus the
 * Redis profile cache); tests substitute an in-memory one at this seam.
 */
public interface UserRepository {
  /**
   * Inserts a user and returns its id.
   *
   * @throws DuplicateKeyException when the email, phone or WeChat openId is already taken
   */
  long create(NewUser user);

  /** The account and its password hash, for the login check; not cached. */
  Optional<UserCredentials> findCredentialsByEmail(String email);

  /** A profile by id, served from the profile cache when possible. */
  Optional<User> findById(long id);

  /** Profiles of many ids; unknown ids are absent from the result. */
  Map<Long, User> findByIds(Collection<Long> ids);

  Optional<User> findByPhone(String phone);

  Optional<User> findByWechatOpenId(String openId);

  /**
   * Sets nickname, birthday and aboutMe (nothing else) and the update time.
   *
   * @param birthday {@code null} clears it
   * @return false when no user has this id
   */
  boolean updateNonSensitive(
      long id, String nickname, Instant birthday, String aboutMe, Instant utime);
}
