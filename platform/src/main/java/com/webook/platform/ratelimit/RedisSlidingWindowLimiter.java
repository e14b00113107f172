package com.webook.platform.ratelimit;

import com.webook.platform.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sliding-window limiter shared by every instance through Redis: at most {@code limit} requests
 * per key within any {@code window}. One Lua script per check (atomic, one round trip). Used for
 * the BFF's per-IP limit ({@code ip-limiter:<ip>}) and the SMS providers ({@code sms:<provider>}).
 * Thread-safe.
 *
 * <p>Errors (Redis down, timeout) propagate as exceptions: whether to fail open or closed is the
 * caller's decision, made from config.
 */
public final class RedisSlidingWindowLimiter {
  private static final LuaScript SCRIPT = LuaScript.fromClasspath("lua/sliding_window.lua");

  private final StatefulRedisConnection<String, String> redis;
  private final String windowMillis;
  private final String limit;

  public RedisSlidingWindowLimiter(
      StatefulRedisConnection<String, String> redis, Duration window, int limit) {
    if (window.toMillis() < 1 || limit < 1) {
      throw new IllegalArgumentException("window must be >= 1 ms and limit >= 1");
    }
    this.redis = redis;
    this.windowMillis = Long.toString(window.toMillis());
    this.limit = Integer.toString(limit);
  }

  /** Records one request for {@code key}; true when it is over the limit (not recorded then). */
  public boolean limited(String key) {
    String member = Long.toHexString(System.nanoTime()) + ThreadLocalRandom.current().nextLong();
    Long result =
        SCRIPT.eval(
            redis, ScriptOutputType.INTEGER, new String[] {key}, windowMillis, limit, member);
    return result != null && result == 1L;
  }
}
