package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The BFF's side of WeChat login (SPEC §4.6): the anti-CSRF state cookie {@code jwt-state}.
 *
 * @param stateKey HS256 key of the state cookie (secret; {@code WEBOOK_WECHAT_STATE_KEY})
 * @param stateTtl how long a login attempt may take (10 min)
 * @param secureCookie mark the cookie {@code Secure} (true whenever the site is served over HTTPS)
 */
public record WechatConfig(String stateKey, Duration stateTtl, boolean secureCookie) {
  public WechatConfig {
    JwtConfig.checkKey("stateKey", stateKey);
    Check.positive("stateTtl", stateTtl);
  }

  public boolean usesDevKey() {
    return stateKey.startsWith(JwtConfig.DEV_KEY_PREFIX);
  }

  @Override
  public String toString() {
    return "WechatConfig[stateKey=***, stateTtl="
        + stateTtl
        + ", secureCookie="
        + secureCookie
        + "]";
  }
}
