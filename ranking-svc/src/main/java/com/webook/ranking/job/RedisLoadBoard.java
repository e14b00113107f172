package com.webook.ranking.job;

import com.webook.platform.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The instances' loads in Redis: two sorted sets, loads and liveness (see {@link
 * LeadershipConfig#loadKey()}), written and read back by one Lua script per interval. Errors
 * propagate as Lettuce exceptions. Thread-safe.
 */
final class RedisLoadBoard {
  private static final LuaScript PUBLISH = LuaScript.fromClasspath("lua/leadership_publish.lua");

  private final StatefulRedisConnection<String, String> redis;
  private final String loadKey;
  private final String seenKey;
  private final String liveWindowMillis;
  private final String setTtlMillis;

  RedisLoadBoard(
      StatefulRedisConnection<String, String> redis,
      String loadKey,
      String seenKey,
      Duration liveWindow) {
    this.redis = redis;
    this.loadKey = loadKey;
    this.seenKey = seenKey;
    this.liveWindowMillis = Long.toString(liveWindow.toMillis());
    // Long enough that only sets nobody publishes to any more expire.
    this.setTtlMillis = Long.toString(liveWindow.multipliedBy(10).toMillis());
  }

  /**
   * Publishes {@code instanceId}'s load and liveness, prunes dead instances and returns what all
   * instances published, atomically (one script).
   */
  InstanceLoads publish(String instanceId, int load) {
    List<Object> reply =
        PUBLISH.eval(
            redis,
            ScriptOutputType.MULTI,
            new String[] {loadKey, seenKey},
            instanceId,
            Integer.toString(load),
            liveWindowMillis,
            setTtlMillis);
    long now = (Long) reply.get(0);
    Map<String, Integer> loads = new HashMap<>();
    pairs(reply.get(1), (id, score) -> loads.put(id, (int) Math.round(score)));
    Map<String, Long> seen = new HashMap<>();
    pairs(reply.get(2), (id, score) -> seen.put(id, Math.round(score)));
    return new InstanceLoads(now, loads, seen);
  }

  /** Removes {@code instanceId} from both sets (a graceful stop: the others need not wait). */
  void remove(String instanceId) {
    redis.sync().zrem(loadKey, instanceId);
    redis.sync().zrem(seenKey, instanceId);
  }

  /** A {@code ZRANGE … WITHSCORES} reply from Lua: member, score, member, score, … */
  private static void pairs(Object flat, BiConsumer<String, Double> sink) {
    List<?> values = (List<?>) flat;
    for (int i = 0; i + 1 < values.size(); i += 2) {
      sink.accept(
          String.valueOf(values.get(i)), Double.parseDouble(String.valueOf(values.get(i + 1))));
    }
  }
}
