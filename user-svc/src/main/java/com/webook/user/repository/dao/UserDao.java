package com.webook.user.repository.dao;

import static com.webook.user.repository.dao.jooq.Tables.USERS;

import com.webook.user.domain.DuplicateKeyException;
import com.webook.user.domain.NewUser;
import com.webook.user.domain.User;
import com.webook.user.domain.UserCredentials;
import com.webook.user.domain.WechatInfo;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/**
 * The {@code users} table through jOOQ's typed DSL. Empty email/phone/openId/unionId become NULL on
 * the way in (the unique keys then allow any number of users without one) and empty strings on the
 * way out. Only {@link #findByEmail} reads the password column. Thread-safe (stateless over a
 * thread-safe {@link DSLContext}).
 *
 * <p>Not final: integration tests wrap it to count and hold database loads.
 */
public class UserDao {
  /** MariaDB/MySQL ER_DUP_ENTRY, reported with SQLState 23000 (integrity constraint violation). */
  private static final int ER_DUP_ENTRY = 1062;

  /** Every column except the password hash. */
  private static final List<Field<?>> PROFILE_COLUMNS =
      List.of(
          USERS.ID,
          USERS.EMAIL,
          USERS.PHONE,
          USERS.NICKNAME,
          USERS.BIRTHDAY,
          USERS.ABOUT_ME,
          USERS.WECHAT_OPEN_ID,
          USERS.WECHAT_UNION_ID,
          USERS.CTIME,
          USERS.UTIME);

  private final DSLContext dsl;

  public UserDao(DSLContext dsl) {
    this.dsl = dsl;
  }

  /**
   * Inserts directly and lets the unique keys decide (no check-then-insert race).
   *
   * @return the generated id
   * @throws DuplicateKeyException when email, phone or WeChat openId is taken
   */
  public long insert(NewUser user) {
    long now = user.ctime().toEpochMilli();
    try {
      return dsl.insertInto(USERS)
          .set(USERS.EMAIL, nullIfEmpty(user.email()))
          .set(USERS.PASSWORD, user.passwordHash())
          .set(USERS.PHONE, nullIfEmpty(user.phone()))
          .set(USERS.WECHAT_OPEN_ID, nullIfEmpty(user.wechat().openId()))
          .set(USERS.WECHAT_UNION_ID, nullIfEmpty(user.wechat().unionId()))
          .set(USERS.NICKNAME, "")
          .set(USERS.ABOUT_ME, "")
          .set(USERS.CTIME, now)
          .set(USERS.UTIME, now)
          .returningResult(USERS.ID)
          .fetchSingle()
          .value1();
    } catch (DataAccessException e) {
      if (isDuplicateKey(e)) {
        throw new DuplicateKeyException("a user with this identity already exists", e);
      }
      throw e;
    }
  }

  /** The account with its password hash (the only query that reads the hash). */
  public Optional<UserCredentials> findByEmail(String email) {
    return dsl.select(PROFILE_COLUMNS)
        .select(USERS.PASSWORD)
        .from(USERS)
        .where(USERS.EMAIL.eq(email))
        .fetchOptional()
        .map(r -> new UserCredentials(toUser(r), r.get(USERS.PASSWORD)));
  }

  public Optional<User> findById(long id) {
    return dsl.select(PROFILE_COLUMNS)
        .from(USERS)
        .where(USERS.ID.eq(id))
        .fetchOptional()
        .map(UserDao::toUser);
  }

  /** One {@code IN} query; ids without a user are absent from the result. */
  public Map<Long, User> findByIds(Collection<Long> ids) {
    Map<Long, User> found = new HashMap<>();
    if (ids.isEmpty()) {
      return found;
    }
    dsl.select(PROFILE_COLUMNS)
        .from(USERS)
        .where(USERS.ID.in(ids))
        .fetch()
        .forEach(r -> found.put(r.get(USERS.ID), toUser(r)));
    return found;
  }

  public Optional<User> findByPhone(String phone) {
    return dsl.select(PROFILE_COLUMNS)
        .from(USERS)
        .where(USERS.PHONE.eq(phone))
        .fetchOptional()
        .map(UserDao::toUser);
  }

  public Optional<User> findByWechatOpenId(String openId) {
    return dsl.select(PROFILE_COLUMNS)
        .from(USERS)
        .where(USERS.WECHAT_OPEN_ID.eq(openId))
        .fetchOptional()
        .map(UserDao::toUser);
  }

  /**
   * Sets nickname, birthday, about_me and utime, and nothing else.
   *
   * @return false when no row has this id
   */
  public boolean updateNonSensitive(
      long id, String nickname, Instant birthday, String aboutMe, Instant utime) {
    int rows =
        dsl.update(USERS)
            .set(USERS.NICKNAME, nickname)
            .set(USERS.BIRTHDAY, birthday == null ? null : birthday.toEpochMilli())
            .set(USERS.ABOUT_ME, aboutMe)
            .set(USERS.UTIME, utime.toEpochMilli())
            .where(USERS.ID.eq(id))
            .execute();
    // The MariaDB driver reports matched rows (not changed rows) by default, so an update that
    // repeats the current values still counts as found.
    return rows > 0;
  }

  /**
   * True for a unique-key violation (SQLState 23000 with error 1062), not other constraint errors.
   */
  static boolean isDuplicateKey(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return sql != null && "23000".equals(sql.getSQLState()) && sql.getErrorCode() == ER_DUP_ENTRY;
  }

  private static User toUser(Record r) {
    Long birthday = r.get(USERS.BIRTHDAY);
    return new User(
        r.get(USERS.ID),
        r.get(USERS.EMAIL),
        r.get(USERS.PHONE),
        r.get(USERS.NICKNAME),
        birthday == null ? null : Instant.ofEpochMilli(birthday),
        r.get(USERS.ABOUT_ME),
        new WechatInfo(r.get(USERS.WECHAT_OPEN_ID), r.get(USERS.WECHAT_UNION_ID)),
        Instant.ofEpochMilli(r.get(USERS.CTIME)),
        Instant.ofEpochMilli(r.get(USERS.UTIME)));
  }

  private static String nullIfEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
