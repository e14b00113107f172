package com.webook.platform.config;

import java.time.Duration;

/**
 * A Redis server reached through Lettuce.
 *
 * @param url e.g. {@code redis://127.0.0.1:16379} (Lettuce URI syntax, may carry a db index)
 * @param commandTimeout timeout of one command
 */
public record RedisConfig(String url, Duration commandTimeout) {
  public RedisConfig {
    Check.notBlank("url", url);
    if (!url.startsWith("redis://") && !url.startsWith("rediss://")) {
      throw new IllegalArgumentException(
          "url: '" + url + "' must start with redis:// or rediss://");
    }
    Check.positive("commandTimeout", commandTimeout);
  }
}
