package com.webook.platform.redis;

import com.webook.platform.config.RedisConfig;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.retry.StartBudget;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * One Lettuce client and one shared, thread-safe connection per process (Lettuce multiplexes
 * commands on it; pooling would only add latency). Command latency is metered through Lettuce's
 * Micrometer recorder. Every command fails after {@code redis.commandTimeout} (Lettuce's expiry
 * writer), so the connection's {@code sync()} waits without a timer of its own (see {@link
 * UntimedSyncConnection}). Closing shuts both down.
 */
public final class Redis implements AutoCloseable {
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  private Redis(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> connection) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
  }

  /** Connects now with one attempt and fails at once if Redis cannot be reached (tests, tools). */
  public static Redis connect(RedisConfig config, MeterRegistry metrics) {
    return connect(config, metrics, StartBudget.none());
  }

  /**
   * Connects now, retrying within {@code budget} while Redis does not answer: on a busy machine the
   * connection handshake alone may outlast {@link RedisConfig#connectTimeout()}.
   *
   * @throws com.webook.platform.retry.StartBudgetExceededException naming Redis and its URL once
   *     the budget is spent
   */
  public static Redis connect(RedisConfig config, MeterRegistry metrics, StartBudget budget) {
    DefaultClientResources.Builder rb = DefaultClientResources.builder();
    if (metrics != null) {
      rb.commandLatencyRecorder(
          new MicrometerCommandLatencyRecorder(
              metrics, MicrometerOptions.builder().histogram(false).build()));
    }
    ClientResources resources = rb.build();
    RedisURI uri = RedisURI.create(config.url());
    // The URI's timeout bounds the connection handshake; commands use TimeoutOptions below.
    uri.setTimeout(config.connectTimeout());
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(
        ClientOptions.builder()
            .socketOptions(
                SocketOptions.builder()
                    .connectTimeout(config.connectTimeout())
                    .keepAlive(true)
                    .build())
            .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
            // While disconnected, fail commands at once instead of queueing them: callers have
            // fallbacks.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    try {
      StatefulRedisConnection<String, String> connection =
          budget.connect("Redis", config.url(), client::connect);
      // The connection's own timeout came from the URI (the handshake's); commands get theirs.
      connection.setTimeout(config.commandTimeout());
      return new Redis(resources, client, UntimedSyncConnection.wrap(connection));
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw e;
    }
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  public RedisClient client() {
    return client;
  }

  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "redis",
        () ->
            "PONG".equals(connection.sync().ping())
                ? ReadinessCheck.Result.ok("PONG")
                : ReadinessCheck.Result.down("no PONG"));
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
    resources.shutdown();
  }
}
