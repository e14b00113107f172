package com.webook.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.config.RedisConfig;
import com.webook.testsupport.ThrowawayRedis;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The connection {@link Redis} hands out answers synchronous commands like Lettuce's own (values,
 * error replies, scripts) and still ends a wait on a hung server with Lettuce's command timeout,
 * although it waits without a timer of its own. Runs against a redis-server of its own.
 */
class UntimedSyncConnectionIT {
  @Test
  void answersLikeLettucesSynchronousApi() {
    try (ThrowawayRedis server = ThrowawayRedis.start();
        Redis redis = Redis.connect(new RedisConfig(server.url(), Duration.ofSeconds(2)), null)) {
      RedisCommands<String, String> sync = redis.connection().sync();
      assertThat(sync.set("k", "v", SetArgs.Builder.px(60_000))).isEqualTo("OK");
      assertThat(sync.get("k")).isEqualTo("v");
      assertThat(sync.get("absent")).isNull();
      assertThat(sync.exists("k", "absent")).isEqualTo(1L);
      assertThat(sync.mget("k", "absent"))
          .extracting(kv -> kv.getValueOrElse(null))
          .containsExactly("v", null);
      assertThat(sync.incr("counter")).isEqualTo(1L);
      assertThat(sync.del("k")).isEqualTo(1L);
      assertThat(
              LuaScript.of("echo", "return ARGV[1]")
                  .<String>eval(redis.connection(), ScriptOutputType.VALUE, new String[0], "lua"))
          .isEqualTo("lua");
      sync.set("text", "not a number");
      assertThatThrownBy(() -> sync.incr("text"))
          .isInstanceOf(RedisCommandExecutionException.class)
          .hasMessageContaining("not an integer");
      assertThat(redis.connection().isOpen()).isTrue();
      assertThat(redis.readinessCheck().check().ready()).isTrue();
    }
  }

  @Test
  void aHungServerStillEndsTheWaitWithTheCommandTimeout() {
    try (ThrowawayRedis server = ThrowawayRedis.start();
        Redis redis = Redis.connect(new RedisConfig(server.url(), Duration.ofMillis(300)), null)) {
      RedisCommands<String, String> sync = redis.connection().sync();
      sync.set("k", "v");
      server.freeze();
      try {
        assertThatThrownBy(() -> sync.get("k")).isInstanceOf(RedisCommandTimeoutException.class);
      } finally {
        server.thaw();
      }
      assertThat(sync.get("k")).isEqualTo("v");
    }
  }
}
