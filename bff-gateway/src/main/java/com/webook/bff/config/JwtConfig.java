package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Login tokens (SPEC §2.2). The keys are secrets: set them through {@code WEBOOK_JWT_ACCESS_KEY}
 * and {@code WEBOOK_JWT_REFRESH_KEY}; the dev profile's values start with {@link #DEV_KEY_PREFIX}
 * and make the BFF log a warning at start.
 *
 * @param accessKey HS256 key of the access token (at least {@value #MIN_KEY_BYTES} bytes)
 * @param refreshKey HS256 key of the refresh token; must differ from {@code accessKey} so that a
 *     refresh token can never pass as an access token or the other way round
 * @param accessTtl access token lifetime (30 min)
 * @param refreshTtl refresh token lifetime (7 days); also how long a logout is remembered
 */
public record JwtConfig(
    String accessKey, String refreshKey, Duration accessTtl, Duration refreshTtl) {
  /** HS256 wants a key at least as long as its 256-bit output. */
  public static final int MIN_KEY_BYTES = 32;

  public static final String DEV_KEY_PREFIX = "dev-insecure-";

  public JwtConfig {
    checkKey("accessKey", accessKey);
    checkKey("refreshKey", refreshKey);
    if (accessKey.equals(refreshKey)) {
      throw new IllegalArgumentException("refreshKey: must differ from accessKey");
    }
    Check.positive("accessTtl", accessTtl);
    Check.positive("refreshTtl", refreshTtl);
  }

  public boolean usesDevKeys() {
    return accessKey.startsWith(DEV_KEY_PREFIX) || refreshKey.startsWith(DEV_KEY_PREFIX);
  }

  static void checkKey(String name, String key) {
    Check.notBlank(name, key);
    if (key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          name + ": must be at least " + MIN_KEY_BYTES + " bytes long");
    }
  }

  @Override
  public String toString() { // keys never reach a log line through a config dump
    return "JwtConfig[accessKey=***, refreshKey=***, accessTtl="
        + accessTtl
        + ", refreshTtl="
        + refreshTtl
        + "]";
  }
}
