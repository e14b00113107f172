package com.webook.bff.session;

import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link SessionStore} on Redis, shared by every BFF instance: key {@code users:ssid:<ssid>}, value
 * empty, expiring with the session's last refresh token. Thread-safe (one multiplexed Lettuce
 * connection). Redis errors propagate.
 */
public final class RedisSessionStore implements SessionStore {
  static final String PREFIX = "users:ssid:";

  private final StatefulRedisConnection<String, String> redis;

  public RedisSessionStore(StatefulRedisConnection<String, String> redis) {
    this.redis = redis;
  }

  public static String key(String ssid) {
    return PREFIX + ssid;
  }

  @Override
  public boolean isLoggedOut(String ssid) {
    Long n = redis.sync().exists(key(ssid));
    return n != null && n > 0;
  }

  @Override
  public CompletionStage<Boolean> isLoggedOutAsync(String ssid) {
    try {
      return redis.async().exists(key(ssid)).thenApply(n -> n != null && n > 0);
    } catch (RuntimeException e) { // a closed connection may refuse before it queues the command
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void logOut(String ssid, Duration ttl) {
    redis.sync().set(key(ssid), "", SetArgs.Builder.ex(ttl));
  }
}
