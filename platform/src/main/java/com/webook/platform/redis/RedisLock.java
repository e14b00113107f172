package com.webook.platform.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A lock shared by every process through one Redis key: {@code SET key token NX PX ttl} takes it,
 * and the holder proves it still holds it by its random token — renewal ({@code PEXPIRE}), release
 * ({@code DEL}) and fenced writes ({@link Lease#setIfHeld}) are Lua scripts that compare the token
 * first, so a holder whose lock expired and was taken by another can neither extend, delete nor
 * write over the new holder's work.
 *
 * <p>What it is not: a lock that survives a Redis failover (a replica promoted before it received
 * the {@code SET} lets a second holder in; SPEC §7.2 accepts that for a job that is recomputed
 * every period), nor a guarantee that the holder still runs — a holder that dies keeps the lock
 * until the TTL ends, one that is paused past its TTL wakes up believing it holds it. Callers that
 * publish results guard the write with {@link Lease#setIfHeld}.
 *
 * <p>Errors: every method sends one command on the caller's thread and lets Lettuce's exceptions
 * through ({@code RedisCommandTimeoutException}, {@code RedisConnectionException}, …): whether a
 * failed renewal means "keep going until the TTL ends" or "stop now" is the caller's decision. A
 * command that timed out may still have been applied (e.g. a {@code SET NX} that took the lock
 * although the caller saw a timeout: the lock then simply expires after its TTL).
 *
 * <p>Immutable and thread-safe (on Lettuce's thread-safe connection).
 */
public final class RedisLock {
  private static final LuaScript RENEW = LuaScript.fromClasspath("lua/lock_renew.lua");
  private static final LuaScript RELEASE = LuaScript.fromClasspath("lua/lock_release.lua");
  private static final LuaScript SET_IF_HELD = LuaScript.fromClasspath("lua/lock_set_if_held.lua");

  private final StatefulRedisConnection<String, String> redis;
  private final String key;
  private final Duration ttl;
  private final Supplier<String> tokens;

  /** A lock on {@code key} whose holder must renew it within {@code ttl}; 128-bit random tokens. */
  public RedisLock(StatefulRedisConnection<String, String> redis, String key, Duration ttl) {
    this(redis, key, ttl, secureRandomTokens());
  }

  /**
   * As above, with the tokens from {@code tokens} (each call must return a value no other holder
   * ever uses: the token is the holder's only proof).
   */
  public RedisLock(
      StatefulRedisConnection<String, String> redis,
      String key,
      Duration ttl,
      Supplier<String> tokens) {
    this.redis = Objects.requireNonNull(redis, "redis");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be >= 1 ms (was " + ttl + ")");
    }
    this.key = key;
    this.ttl = ttl;
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /** 128 bits from one {@link SecureRandom}, as 32 lower-case hex characters. Thread-safe. */
  public static Supplier<String> secureRandomTokens() {
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      return HexFormat.of().formatHex(bytes);
    };
  }

  /**
   * {@code SET key token NX PX ttl}: the lease when the key was free, empty when another holder (or
   * an earlier lease of this process) has it. The TTL runs from when Redis executed the command, so
   * a caller that notes the time before calling knows a moment before which the lease is surely
   * still valid.
   */
  public Optional<Lease> tryAcquire() {
    String token = tokens.get();
    String reply = redis.sync().set(key, token, SetArgs.Builder.nx().px(ttl.toMillis()));
    return "OK".equals(reply) ? Optional.of(new Lease(token)) : Optional.empty();
  }

  /** The token the key holds now, if any (diagnostics and tests; racy by nature). */
  public Optional<String> holderToken() {
    return Optional.ofNullable(redis.sync().get(key));
  }

  public String key() {
    return key;
  }

  public Duration ttl() {
    return ttl;
  }

  /**
   * One acquisition of the lock, identified by its token. Holds no state besides the token: whether
   * it is still held is only known to Redis, and each method asks it atomically. Thread-safe.
   */
  public final class Lease {
    private final String token;

    private Lease(String token) {
      this.token = token;
    }

    public String token() {
      return token;
    }

    /** The lock's key (the same for every lease of one {@link RedisLock}). */
    public String key() {
      return key;
    }

    /**
     * Resets the TTL to the full {@code ttl} while the key still holds this token (Lua
     * compare-and-{@code PEXPIRE}); false when the lock was lost (expired, or taken by another).
     */
    public boolean renew() {
      return isOne(
          RENEW.eval(
              redis,
              ScriptOutputType.INTEGER,
              new String[] {key},
              token,
              Long.toString(ttl.toMillis())));
    }

    /**
     * Deletes the key while it still holds this token (Lua compare-and-{@code DEL}); false when it
     * was not ours any more, in which case nothing was deleted.
     */
    public boolean release() {
      return isOne(RELEASE.eval(redis, ScriptOutputType.INTEGER, new String[] {key}, token));
    }

    /**
     * Fencing: sets {@code dataKey} to {@code value} (without expiry, replacing any TTL it had)
     * only while the lock still holds this token, in one Lua script — so a holder that lost the
     * lock while it computed cannot overwrite the new holder's result. False when the lock is not
     * held by this lease: nothing was written. Both keys are touched by one script, so on a Redis
     * Cluster they must hash to one slot (a hash tag such as {@code {ranking}}).
     */
    public boolean setIfHeld(String dataKey, String value) {
      return isOne(
          SET_IF_HELD.eval(
              redis, ScriptOutputType.INTEGER, new String[] {key, dataKey}, token, value));
    }

    @Override
    public String toString() {
      // The token is the holder's proof; logs show only its start.
      return "Lease(" + key + ", " + token.substring(0, Math.min(8, token.length())) + "…)";
    }
  }

  private static boolean isOne(Object reply) {
    return reply instanceof Long n && n == 1L;
  }
}
