package com.webook.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.config.ConfigException;
import com.webook.platform.config.ConfigLoader;
import com.webook.user.config.UserConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dev.yaml over the platform defaults binds to UserConfig, and bad values stop the start naming the
 * key.
 */
class UserConfigTest {
  private static final String[] NO_ARGS = {};

  @Test
  void devProfileBindsWithTheSpecDefaults() {
    UserConfig config = new ConfigLoader(Map.of()).load(UserConfig.class, NO_ARGS);

    assertThat(config.user().bcryptCost()).isEqualTo(10);
    assertThat(config.cache().profileTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.cache().bypassConcurrency()).isPositive();
    assertThat(config.cache().keyNamespace()).isEmpty();
    assertThat(config.wechat().authorizeUrl())
        .isEqualTo("https://open.weixin.qq.com/connect/qrconnect");
    assertThat(config.wechat().apiBaseUrl()).isEqualTo("https://api.weixin.qq.com");
    assertThat(config.wechat().usesDevSecret())
        .as("dev placeholder, warned about at start")
        .isTrue();
  }

  @Test
  void sharedSectionsComeFromThePlatformDefaultsUnderTheServicesOwnKeys() {
    UserConfig config =
        new ConfigLoader(Map.of("WEBOOK_STARTUP_BUDGET", "2m")).load(UserConfig.class, NO_ARGS);

    assertThat(config.grpc().port()).as("dev.yaml").isEqualTo(8091);
    assertThat(config.registry().service()).as("dev.yaml").isEqualTo("user");
    assertThat(config.mysql().jdbcUrl())
        .as("defaults' server, dev.yaml's database")
        .isEqualTo("jdbc:mariadb://127.0.0.1:13316/webook_user");
    assertThat(config.grpc().drainWindow()).as("defaults").isEqualTo(Duration.ofSeconds(2));
    assertThat(config.redis().url()).as("defaults").isEqualTo("redis://127.0.0.1:16379");
    assertThat(config.startup().budget()).as("env over defaults").isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void environmentOverridesTheSecretAndTheApiBase() {
    UserConfig config =
        new ConfigLoader(
                Map.of(
                    "WEBOOK_WECHAT_APP_SECRET", "real-secret",
                    "WEBOOK_WECHAT_API_BASE_URL", "http://127.0.0.1:1234/",
                    "WEBOOK_CACHE_KEY_NAMESPACE", "t1:",
                    "WEBOOK_USER_BCRYPT_COST", "12"))
            .load(UserConfig.class, NO_ARGS);

    assertThat(config.wechat().appSecret()).isEqualTo("real-secret");
    assertThat(config.wechat().usesDevSecret()).isFalse();
    assertThat(config.wechat().apiBaseUrl())
        .as("trailing slash dropped")
        .isEqualTo("http://127.0.0.1:1234");
    assertThat(config.cache().keyNamespace()).isEqualTo("t1:");
    assertThat(config.user().bcryptCost()).isEqualTo(12);
    assertThat(config.wechat().toString()).doesNotContain("real-secret");
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("WEBOOK_USER_BCRYPT_COST", "3"))
                    .load(UserConfig.class, NO_ARGS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("user.bcryptCost");
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("WEBOOK_CACHE_BYPASS_CONCURRENCY", "0"))
                    .load(UserConfig.class, NO_ARGS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cache.bypassConcurrency");
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("WEBOOK_WECHAT_API_BASE_URL", "ftp://x"))
                    .load(UserConfig.class, NO_ARGS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("wechat.apiBaseUrl");
    assertThatThrownBy(
            () ->
                new ConfigLoader(Map.of("WEBOOK_WECHAT_APP_SECRET", " "))
                    .load(UserConfig.class, NO_ARGS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("wechat.appSecret");
  }
}
