package com.webook.user.repository.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.webook.user.domain.User;
import com.webook.user.domain.WechatInfo;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Profiles in Redis: key {@code user:info:<id>} (after the configured namespace), a JSON value,
 * expiring after the configured TTL (SPEC §4.3). Redis failures are thrown to the caller, which
 * decides how to degrade; a value that cannot be decoded (e.g. written by an incompatible version)
 * counts as a miss and is metered. Thread-safe (one shared Lettuce connection).
 *
 * <p>The JSON has its own small shape ({@link CachedProfile}, times as epoch milliseconds) so that
 * the domain record can evolve without breaking values other instances wrote; unknown fields are
 * ignored for the same reason during rolling upgrades, while a value missing a field is treated as
 * corrupt.
 */
public final class UserCache {
  private static final Logger log = LoggerFactory.getLogger(UserCache.class);

  private final StatefulRedisConnection<String, String> connection;
  private final Duration ttl;
  private final String keyPrefix;
  private final Duration commandTimeout;
  // Unknown fields are fine (a newer writer); missing ones are not: a value without its times
  // must not become a profile with zero timestamps.
  private final ObjectMapper json =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();
  private final Counter decodeFailures;

  /**
   * @param namespace prepended to {@code user:info:}; empty in production
   * @param commandTimeout bound for pipelined writes (single commands use the connection's timeout)
   */
  public UserCache(
      StatefulRedisConnection<String, String> connection,
      Duration ttl,
      String namespace,
      Duration commandTimeout,
      MeterRegistry metrics) {
    this.connection = connection;
    this.ttl = ttl;
    this.keyPrefix = namespace + "user:info:";
    this.commandTimeout = commandTimeout;
    this.decodeFailures =
        Counter.builder("cache.decode.failures")
            .tag("cache", "user_info")
            .description("cached values that could not be decoded and were treated as misses")
            .register(metrics);
  }

  public String key(long id) {
    return keyPrefix + id;
  }

  /** The cached profile, or empty on a miss. Throws when Redis fails. */
  public Optional<User> get(long id) {
    return Optional.ofNullable(decode(key(id), connection.sync().get(key(id))));
  }

  /** One MGET for all ids; the result holds the hits only. Throws when Redis fails. */
  public Map<Long, User> getAll(Collection<Long> ids) {
    Map<Long, User> hits = new HashMap<>();
    if (ids.isEmpty()) {
      return hits;
    }
    List<KeyValue<String, String>> values =
        connection.sync().mget(ids.stream().map(this::key).toArray(String[]::new));
    for (KeyValue<String, String> kv : values) {
      if (kv.hasValue()) {
        User user = decode(kv.getKey(), kv.getValue());
        if (user != null) {
          hits.put(user.id(), user);
        }
      }
    }
    return hits;
  }

  /** Caches one profile with the TTL. Throws when Redis fails. */
  public void set(User user) {
    connection.sync().set(key(user.id()), encode(user), SetArgs.Builder.px(ttl.toMillis()));
  }

  /**
   * Caches many profiles, pipelined (one round trip's worth of waiting). Throws when Redis fails.
   */
  public void setAll(Collection<User> users) {
    if (users.isEmpty()) {
      return;
    }
    RedisAsyncCommands<String, String> async = connection.async();
    List<RedisFuture<String>> writes = new ArrayList<>(users.size());
    for (User user : users) {
      writes.add(async.set(key(user.id()), encode(user), SetArgs.Builder.px(ttl.toMillis())));
    }
    if (!LettuceFutures.awaitAll(
        commandTimeout.toMillis(), TimeUnit.MILLISECONDS, writes.toArray(RedisFuture[]::new))) {
      throw new RedisCommandTimeoutException(
          "profile cache write of " + users.size() + " entries timed out");
    }
  }

  /** Removes a profile so the next read loads it from the database. Throws when Redis fails. */
  public void delete(long id) {
    connection.sync().del(key(id));
  }

  String encode(User u) {
    CachedProfile p =
        new CachedProfile(
            u.id(),
            u.email(),
            u.phone(),
            u.nickname(),
            u.birthday() == null ? null : u.birthday().toEpochMilli(),
            u.aboutMe(),
            u.wechat().openId(),
            u.wechat().unionId(),
            u.ctime().toEpochMilli(),
            u.utime().toEpochMilli());
    try {
      return json.writeValueAsString(p);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode profile " + u.id(), e);
    }
  }

  /** Null when the value is absent or cannot be decoded. */
  User decode(String key, String value) {
    if (value == null) {
      return null;
    }
    try {
      CachedProfile p = json.readValue(value, CachedProfile.class);
      return new User(
          p.id(),
          p.email(),
          p.phone(),
          p.nickname(),
          p.birthday() == null ? null : Instant.ofEpochMilli(p.birthday()),
          p.aboutMe(),
          new WechatInfo(p.wechatOpenId(), p.wechatUnionId()),
          Instant.ofEpochMilli(p.ctime()),
          Instant.ofEpochMilli(p.utime()));
    } catch (JsonProcessingException | RuntimeException e) {
      decodeFailures.increment();
      log.warn(
          "profile cache value at {} cannot be decoded; treating it as a miss ({})",
          key,
          e.getClass().getSimpleName());
      return null;
    }
  }

  /** The cached JSON shape. Times are epoch milliseconds; birthday is null when unknown. */
  record CachedProfile(
      long id,
      String email,
      String phone,
      String nickname,
      Long birthday,
      String aboutMe,
      String wechatOpenId,
      String wechatUnionId,
      long ctime,
      long utime) {}
}
