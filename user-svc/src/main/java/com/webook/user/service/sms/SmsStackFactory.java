package com.webook.user.service.sms;

import com.webook.platform.ratelimit.RedisSlidingWindowLimiter;
import com.webook.user.config.SmsConfig;
import com.webook.user.config.SmsProviderConfig;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the SMS stack from {@code sms.*} config (SPEC §4.5), bottom up:
 *
 * <pre>
 * [sync-to-async: AsyncFallbackSmsSender → HealthReportingSmsSender]   if sms.async.enabled
 *   failover: FailoverSmsSender (rotate) | TimeoutFailoverSmsSender (timeout)
 *     per provider, in sms.providers order:
 *       [RateLimitedSmsSender sms:&lt;name&gt;]                            if sms.rateLimit.enabled
 *         MeteredSmsSender → LogSmsProvider | HttpSmsProvider
 * </pre>
 *
 * The worker sends through everything below sync-to-async. Nothing here is hard-coded: every number
 * comes from the config records.
 */
public final class SmsStackFactory {
  private static final Logger log = LoggerFactory.getLogger(SmsStackFactory.class);

  private final Clock clock;
  private final MeterRegistry registry;
  private final StatefulRedisConnection<String, String> redis;
  private final AsyncSmsRepository repository;
  private final LogSmsProvider.DeliveryListener listener;

  /**
   * @param redis for the rate limiter (may be null when it is disabled)
   * @param repository the async queue (may be null when sync-to-async is disabled)
   * @param listener told about log-provider deliveries (tests); null in production
   */
  public SmsStackFactory(
      Clock clock,
      MeterRegistry registry,
      StatefulRedisConnection<String, String> redis,
      AsyncSmsRepository repository,
      LogSmsProvider.DeliveryListener listener) {
    this.clock = clock;
    this.registry = registry;
    this.redis = redis;
    this.repository = repository;
    this.listener = listener;
  }

  public SmsStack build(SmsConfig config) {
    List<AutoCloseable> closeables = new ArrayList<>();
    RedisSlidingWindowLimiter limiter =
        config.rateLimit().enabled()
            ? new RedisSlidingWindowLimiter(
                require(redis, "Redis"), config.rateLimit().window(), config.rateLimit().limit())
            : null;
    List<SmsSender> providers = new ArrayList<>();
    for (SmsProviderConfig p : config.providers()) {
      SmsSender provider =
          switch (p) {
            case SmsProviderConfig.Log l -> new LogSmsProvider(l.name(), l.maskNumbers(), listener);
            case SmsProviderConfig.Http h -> {
              HttpSmsProvider http = new HttpSmsProvider(h, clock);
              closeables.add(http);
              yield http;
            }
          };
      SmsSender sender = new MeteredSmsSender(p.name(), provider, registry);
      if (limiter != null) {
        sender =
            new RateLimitedSmsSender(
                p.name(), sender, limiter::limited, config.rateLimit().limitedOnError(), registry);
      }
      providers.add(sender);
    }
    SmsSender failover =
        switch (config.failover().strategy()) {
          case ROTATE -> new FailoverSmsSender(providers);
          case TIMEOUT ->
              new TimeoutFailoverSmsSender(
                  providers, config.failover().timeoutThreshold(), registry);
        };
    SmsStack stack;
    if (config.async().enabled()) {
      ProviderDownDetector detector =
          new ProviderDownDetector(config.async().detector(), clock, registry);
      SmsSender reporting = new HealthReportingSmsSender(failover, detector);
      AsyncSmsRepository queue = require(repository, "the async_sms repository");
      SmsSender front =
          new AsyncFallbackSmsSender(reporting, detector, queue, config.async(), clock, registry);
      AsyncSmsWorker worker =
          new AsyncSmsWorker(queue, reporting, detector, config.async(), clock, registry);
      stack = new SmsStack(front, reporting, detector, worker, closeables);
    } else {
      stack = new SmsStack(failover, failover, null, null, closeables);
    }
    log.info(
        "SMS stack: providers {} ({}), rate limit {}, sync-to-async {}",
        providers,
        config.failover().strategy().name().toLowerCase(java.util.Locale.ROOT),
        limiter == null
            ? "off"
            : config.rateLimit().limit() + "/" + config.rateLimit().window().toMillis() + "ms",
        config.async().enabled() ? "on" : "off");
    return stack;
  }

  private static <T> T require(T value, String what) {
    if (value == null) {
      throw new IllegalStateException(what + " is needed by this SMS configuration");
    }
    return value;
  }
}
