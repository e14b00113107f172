package com.webook.platform.config;

import java.time.Duration;

/**
 * A Redis server reached through Lettuce.
 *
 * @param url e.g. {@code redis://127.0.0.1:16379} (Lettuce URI syntax, may carry a db index)
 * @param commandTimeout timeout of one command
 * @param connectTimeout timeout of one connection attempt, TCP connect and handshake together;
 *     longer than a command's, because a process connects while the machine is busiest (at start)
 */
public record RedisConfig(String url, Duration commandTimeout, Duration connectTimeout) {
  public RedisConfig {
    Check.notBlank("url", url);
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "url: '" + url + "' must start with redis:// or rediss://");
    }
    Check.positive("commandTimeout", commandTimeout);
    Check.positive("connectTimeout", connectTimeout);
  }

  /** With a 5 s connect timeout (the platform default). */
  public RedisConfig(String url, Duration commandTimeout) {
    this(url, commandTimeout, Duration.ofSeconds(5));
  }
}
