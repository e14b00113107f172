package com.webook.user.config;

import com.webook.platform.config.Check;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SMS provider stack (SPEC §4.5): which providers, and which decorators wrap them.
 *
 * @param allowLogProvider whether a {@code type: log} provider may be configured at all; false in
 *     every production profile, so that codes can never end up in a log by mistake
 * @param providers the providers, in failover order (at least one)
 * @param rateLimit the per-provider Redis sliding-window limit
 * @param failover how a failed or slow provider is replaced
 * @param async the sync-to-async fallback
 */
public record SmsConfig(
    boolean allowLogProvider,
    List<SmsProviderConfig> providers,
    RateLimit rateLimit,
    Failover failover,
    Async async) {
  public SmsConfig {
    Check.notEmpty("providers", providers);
    providers = List.copyOf(providers);
    Set<String> names = new HashSet<>();
    Duration worstCase = Duration.ZERO;
    for (int i = 0; i < providers.size(); i++) {
      SmsProviderConfig p = providers.get(i);
      if (p instanceof SmsProviderConfig.Log && !allowLogProvider) {
        throw new IllegalArgumentException(
            "providers["
                + i
                + "]: the log provider writes messages (login codes) "
                + "to the log and is for development only; configure a real provider, or set sms.allowLogProvider=true "
                + "outside production");
      }
      if (!names.add(p.name())) {
        throw new IllegalArgumentException(
            "providers[" + i + "].name: '" + p.name() + "' is used twice");
      }
      worstCase = worstCase.plus(p.timeout());
    }
    Check.notNull("rateLimit", rateLimit);
    Check.notNull("failover", failover);
    Check.notNull("async", async);
    // A row is reclaimed only when its sender must be dead: a live one gives up after trying
    // every provider once, each within its timeout.
    if (async.enabled() && async.reclaimAfter().compareTo(worstCase) <= 0) {
      throw new IllegalArgumentException(
          "async.reclaimAfter: must be longer than the sum of the providers' "
              + "timeouts ("
              + worstCase
              + "), or a slow send would be sent twice");
    }
  }

  /**
   * The per-provider rate limit (SPEC §4.5 point 1).
   *
   * @param enabled whether providers are rate limited at all
   * @param window the sliding window
   * @param limit requests per provider within {@code window}, across all instances
   * @param limitedOnError whether a limiter failure (Redis down) counts as limited (true: fail
   *     closed, requests go to the async queue) or as allowed (false: fail open)
   */
  public record RateLimit(boolean enabled, Duration window, int limit, boolean limitedOnError) {
    public RateLimit {
      Check.positive("window", window);
      Check.range("limit", limit, 1, 1_000_000);
    }
  }

  /** How the provider list is used. */
  public enum Strategy {
    /** Each request starts at the next provider and tries all of them in turn. */
    ROTATE,
    /** One provider at a time; switch after {@code timeoutThreshold} consecutive timeouts. */
    TIMEOUT
  }

  /**
   * How failures move a request, or the stack, to another provider (SPEC §4.5 points 2 and 3).
   *
   * @param strategy see {@link Strategy}
   * @param timeoutThreshold consecutive timeouts that make {@code TIMEOUT} switch provider
   */
  public record Failover(Strategy strategy, int timeoutThreshold) {
    public Failover {
      Check.notNull("strategy", strategy);
      Check.range("timeoutThreshold", timeoutThreshold, 1, 1000);
    }
  }

  /**
   * The sync-to-async fallback (SPEC §4.5 point 4) and its worker.
   *
   * @param enabled whether limited or down requests are stored in {@code async_sms} instead of
   *     failing
   * @param maxRetry worker attempts per stored request before it is marked failed
   * @param initialBackoff delay before the first worker attempt; doubled after each failure
   * @param maxBackoff cap of the doubling
   * @param pollInterval how often the worker looks for due requests
   * @param batchSize due requests read per poll
   * @param reclaimAfter a request left in "sending" this long is taken back (its sender died)
   * @param stopTimeout how long a stopping process waits for the worker's current send
   * @param detector when the providers are judged down
   */
  public record Async(
      boolean enabled,
      int maxRetry,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration pollInterval,
      int batchSize,
      Duration reclaimAfter,
      Duration stopTimeout,
      Detector detector) {
    public Async {
      Check.range("maxRetry", maxRetry, 1, 100);
      Check.positive("initialBackoff", initialBackoff);
      Check.positive("maxBackoff", maxBackoff);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff: must not be shorter than initialBackoff");
      }
      Check.positive("pollInterval", pollInterval);
      Check.range("batchSize", batchSize, 1, 10_000);
      Check.positive("reclaimAfter", reclaimAfter);
      Check.positive("stopTimeout", stopTimeout);
      Check.notNull("detector", detector);
    }
  }

  /**
   * "Provider down" (SPEC §4.5): over the last {@code window}, at least {@code minRequests}
   * requests and either an error ratio ≥ {@code errorRatio}, or a p99 latency ≥ {@code
   * latencyFloor} and more than {@code latencyFactor} × the long-run p99 (measured over the {@code
   * baselineWindows} windows before the last one, once they hold {@code minBaselineRequests}
   * requests).
   */
  public record Detector(
      Duration window,
      int buckets,
      int minRequests,
      double errorRatio,
      double latencyFactor,
      Duration latencyFloor,
      int baselineWindows,
      int minBaselineRequests) {
    public Detector {
      Check.positive("window", window);
      Check.range("buckets", buckets, 1, 1000);
      if (window.toMillis() < buckets || window.toMillis() % buckets != 0) {
        throw new IllegalArgumentException(
            "buckets: the window ("
                + window.toMillis()
                + " ms) must divide into "
                + buckets
                + " whole milliseconds");
      }
      Check.range("minRequests", minRequests, 1, 1_000_000);
      Check.range("errorRatio", errorRatio, 0.01, 1.0);
      Check.range("latencyFactor", latencyFactor, 1.0, 1000.0);
      Check.notNegative("latencyFloor", latencyFloor);
      Check.range("baselineWindows", baselineWindows, 1, 10_000);
      Check.range("minBaselineRequests", minBaselineRequests, 1, 100_000_000);
    }
  }
}
