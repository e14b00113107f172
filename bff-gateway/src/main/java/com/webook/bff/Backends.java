package com.webook.bff;

import com.webook.bff.client.CodeClient;
import com.webook.bff.client.UserClient;
import com.webook.bff.client.WechatClient;
import com.webook.bff.config.RateLimitConfig;
import com.webook.bff.session.RedisSessionStore;
import com.webook.bff.session.SessionStore;
import com.webook.bff.web.RateLimiter;
import com.webook.platform.ratelimit.RedisSlidingWindowLimiter;
import io.grpc.Channel;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Everything the HTTP API talks to: the user-svc clients and the two Redis-backed stores. The
 * production wiring is {@link #of}; tests pass the same wiring an in-process fake user-svc, or
 * in-memory stores where a unit test needs no Redis.
 */
public record Backends(
    UserClient users,
    CodeClient codes,
    WechatClient wechat,
    SessionStore sessions,
    RateLimiter limiter) {

  /**
   * user-svc behind {@code userSvc} (serves user.v1, code.v1 and oauth2.v1), Redis for sessions and
   * the IP limit.
   */
  public static Backends of(
      Channel userSvc, StatefulRedisConnection<String, String> redis, RateLimitConfig rateLimit) {
    RedisSlidingWindowLimiter limiter =
        new RedisSlidingWindowLimiter(redis, rateLimit.window(), rateLimit.limit());
    return new Backends(
        new UserClient(userSvc),
        new CodeClient(userSvc),
        new WechatClient(userSvc),
        new RedisSessionStore(redis),
        limiter::limited);
  }
}
