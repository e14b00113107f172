package com.webook.user.repository.cache;

import com.webook.platform.redis.LuaScript;
import com.webook.user.config.CodeConfig;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * One-time codes in Redis (SPEC §4.4): {@code phone_code:<biz>:<phone>} holds the code and {@code
 * <key>:cnt} the attempts left, both with the code's TTL. Each operation is one Lua script, so
 * concurrent sends store one code and a code is accepted at most once. Redis errors propagate.
 * Thread-safe.
 */
public final class CodeCache {
  private static final LuaScript SEND = LuaScript.fromClasspath("lua/code_send.lua");
  private static final LuaScript VERIFY = LuaScript.fromClasspath("lua/code_verify.lua");

  /** Outcome of {@link #store}. */
  public enum StoreResult {
    STORED,
    /** The previous code was sent less than the resend interval ago. */
    TOO_FREQUENT,
    /** The key exists without an expiry: refused, it needs an operator. */
    NO_EXPIRY
  }

  /** Outcome of {@link #verify}; only {@link #CORRECT} is a success. */
  public enum VerifyResult {
    CORRECT,
    WRONG,
    /** No code, no attempts left, or already used. */
    LOCKED
  }

  private final StatefulRedisConnection<String, String> redis;
  private final String ttlSeconds;
  private final String resendSeconds;
  private final String attempts;

  public CodeCache(StatefulRedisConnection<String, String> redis, CodeConfig config) {
    this.redis = redis;
    this.ttlSeconds = Long.toString(config.ttl().toSeconds());
    this.resendSeconds = Long.toString(config.resendInterval().toSeconds());
    this.attempts = Integer.toString(config.attempts());
  }

  /** The Redis key of the code for ({@code biz}, {@code phone}). */
  public static String key(String biz, String phone) {
    return "phone_code:" + biz + ":" + phone;
  }

  public StoreResult store(String biz, String phone, String code) {
    String key = key(biz, phone);
    Long r =
        SEND.eval(
            redis,
            ScriptOutputType.INTEGER,
            new String[] {key, key + ":cnt"},
            code,
            ttlSeconds,
            resendSeconds,
            attempts);
    return switch (r.intValue()) {
      case 0 -> StoreResult.STORED;
      case -1 -> StoreResult.TOO_FREQUENT;
      case -2 -> StoreResult.NO_EXPIRY;
      default -> throw new IllegalStateException("code_send.lua returned " + r);
    };
  }

  public VerifyResult verify(String biz, String phone, String input) {
    String key = key(biz, phone);
    Long r = VERIFY.eval(redis, ScriptOutputType.INTEGER, new String[] {key, key + ":cnt"}, input);
    return switch (r.intValue()) {
      case 0 -> VerifyResult.CORRECT;
      case -1 -> VerifyResult.WRONG;
      case -2 -> VerifyResult.LOCKED;
      default -> throw new IllegalStateException("code_verify.lua returned " + r);
    };
  }
}
