package com.webook.user.config;

import com.webook.platform.config.Check;
import java.net.URI;
import java.time.Duration;

/**
 * WeChat OAuth2 (config key {@code wechat}, SPEC §4.6). The secret comes from the environment
 * ({@code WEBOOK_WECHAT_APP_SECRET}) outside dev; {@link #usesDevSecret()} lets the composition
 * root warn when the dev placeholder is in use.
 *
 * @param appId the website application's AppID
 * @param appSecret the AppSecret; never logged
 * @param redirectUri where WeChat sends the browser back (the BFF's callback)
 * @param authorizeUrl the QR-code login page, {@code https://open.weixin.qq.com/connect/qrconnect}
 * @param apiBaseUrl base of the token API, {@code https://api.weixin.qq.com} (tests point it at a
 *     fake server)
 * @param timeout connect and request timeout of one token exchange
 */
public record WechatConfig(
    String appId,
    String appSecret,
    String redirectUri,
    String authorizeUrl,
    String apiBaseUrl,
    Duration timeout) {
  /** The value dev.yaml ships; anything else is a real secret. */
  public static final String DEV_SECRET = "dev-only-wechat-secret";

  public WechatConfig {
    Check.notBlank("appId", appId);
    Check.notBlank("appSecret", appSecret);
    httpUrl("redirectUri", redirectUri);
    httpUrl("authorizeUrl", authorizeUrl);
    httpUrl("apiBaseUrl", apiBaseUrl);
    apiBaseUrl =
        apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl;
    Check.positive("timeout", timeout);
  }

  public boolean usesDevSecret() {
    return DEV_SECRET.equals(appSecret);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "WechatConfig[appId="
        + appId
        + ", appSecret=***, redirectUri="
        + redirectUri
        + ", authorizeUrl="
        + authorizeUrl
        + ", apiBaseUrl="
        + apiBaseUrl
        + ", timeout="
        + timeout
        + "]";
  }

  private static void httpUrl(String key, String value) {
    Check.notBlank(key, value);
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": '" + value + "' is not a URL");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          key + ": '" + value + "' must be an http(s) URL with a host");
    }
  }
}
