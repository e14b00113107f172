package com.webook.article.repository.cache;

import com.webook.platform.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * Redis entries that carry a version, so that a stale write-back loses against a newer write.
 *
 * <p>A value is {@code <version>|<body>}: the version is the article's {@code utime} (it only
 * grows, see {@code ArticleDao}), the body is JSON, or {@value #NOT_FOUND} ("there is no such
 * article for readers": penetration protection and the withdrawn state), or {@value #FLOOR} ("a
 * write at this version happened: load again, but refuse anything older"). Writes go through {@code
 * lua/set_if_not_older.lua}: a key holding a newer version is left alone.
 *
 * <p>That closes cache-aside's classic race: a reader loads the old row, a write commits and
 * invalidates, the reader writes the old row back — it now finds the write's floor (or tombstone,
 * or fresh value) with a newer version and its write is refused. Plain deletes cannot do that:
 * after a DEL there is nothing to compare against. Redis failures are thrown to the caller, which
 * decides how to degrade. Thread-safe (one shared Lettuce connection).
 */
public final class VersionedCache {
  static final String NOT_FOUND = "";
  static final String FLOOR = "-";
  private static final LuaScript SET_IF_NOT_OLDER =
      LuaScript.fromClasspath("lua/set_if_not_older.lua");

  /** What a key holds. */
  public sealed interface Lookup {
    /** A cached value's body. */
    record Hit(String body, long version) implements Lookup {}

    /** The cache knows there is nothing to find (until its TTL ends). */
    record Absent(long version) implements Lookup {}

    /** Nothing usable cached: load from the database. */
    record Miss() implements Lookup {}
  }

  private static final Lookup.Miss MISS = new Lookup.Miss();

  private final StatefulRedisConnection<String, String> connection;

  public VersionedCache(StatefulRedisConnection<String, String> connection) {
    this.connection = connection;
  }

  /** One GET. A value that is not {@code <version>|…} counts as a miss. Throws when Redis fails. */
  public Lookup get(String key) {
    return parse(connection.sync().get(key));
  }

  static Lookup parse(String value) {
    if (value == null) {
      return MISS;
    }
    int sep = value.indexOf('|');
    if (sep <= 0) {
      return MISS;
    }
    long version;
    try {
      version = Long.parseLong(value, 0, sep, 10);
    } catch (NumberFormatException e) {
      return MISS;
    }
    int bodyLength = value.length() - sep - 1;
    if (bodyLength == 0) {
      return new Lookup.Absent(version);
    }
    if (bodyLength == 1 && value.charAt(sep + 1) == '-') {
      return MISS;
    }
    return new Lookup.Hit(value.substring(sep + 1), version);
  }

  /** Caches {@code body} at {@code version} unless a newer version is there. */
  public boolean put(String key, long version, String body, Duration ttl) {
    Long set =
        SET_IF_NOT_OLDER.eval(
            connection,
            ScriptOutputType.INTEGER,
            new String[] {key},
            Long.toString(version),
            body,
            Long.toString(ttl.toMillis()));
    return set != null && set == 1L;
  }

  /** Records "nothing to find" at {@code version} (penetration marker, withdrawn article). */
  public boolean putAbsent(String key, long version, Duration ttl) {
    return put(key, version, NOT_FOUND, ttl);
  }

  /**
   * Invalidates: the next read loads from the database, and a write-back older than {@code version}
   * is refused while the floor lives.
   */
  public boolean putFloor(String key, long version, Duration ttl) {
    return put(key, version, FLOOR, ttl);
  }
}
