package com.webook.bff;

import com.webook.bff.client.ArticleClient;
import com.webook.bff.client.CodeClient;
import com.webook.bff.client.InteractiveClient;
import com.webook.bff.client.RankingClient;
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
 * Everything the HTTP API talks to: the user-svc, article-svc, interactive-svc and ranking-svc
 * clients and the two Redis-backed stores. The production wiring is {@link #of}; tests pass the
 * same wiring in-process fake services, or in-memory stores where a unit test needs no Redis.
 */
public record Backends(
    UserClient users,
    CodeClient codes,
    WechatClient wechat,
    ArticleClient articles,
    InteractiveClient interactive,
    RankingClient ranking,
    SessionStore sessions,
    RateLimiter limiter) {

  /**
   * user-svc behind {@code userSvc} (serves user.v1, code.v1 and oauth2.v1), article-svc behind
   * {@code articleSvc}, interactive-svc behind {@code interactiveSvc}, ranking-svc behind {@code
   * rankingSvc}, Redis for sessions and the IP limit.
   */
  public static Backends of(
      Channel userSvc,
      Channel articleSvc,
      Channel interactiveSvc,
      Channel rankingSvc,
      StatefulRedisConnection<String, String> redis,
      RateLimitConfig rateLimit) {
    RedisSlidingWindowLimiter limiter =
        new RedisSlidingWindowLimiter(redis, rateLimit.window(), rateLimit.limit());
    return new Backends(
        new UserClient(userSvc),
        new CodeClient(userSvc),
        new WechatClient(userSvc),
        new ArticleClient(articleSvc),
        new InteractiveClient(interactiveSvc),
        new RankingClient(rankingSvc),
        new RedisSessionStore(redis),
        limiter::limited);
  }
}
