package com.webook.user.domain;

import java.util.Objects;

/**
 * A WeChat identity as the OAuth2 token API reports it. {@code openId} is unique per app and is the
 * key users are found by; {@code unionId} spans one developer account's apps and may be empty.
 *
 * @param openId the user's openid for our app; empty when the user has no WeChat login
 * @param unionId the unionid; empty when WeChat did not send one
 */
public record WechatInfo(String openId, String unionId) {
  /** A user without a WeChat login. */
  public static final WechatInfo NONE = new WechatInfo("", "");

  public WechatInfo {
    openId = Objects.requireNonNullElse(openId, "");
    unionId = Objects.requireNonNullElse(unionId, "");
  }

  public boolean isPresent() {
    return !openId.isEmpty();
  }
}
