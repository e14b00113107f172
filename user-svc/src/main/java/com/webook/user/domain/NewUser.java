package com.webook.user.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A user to insert. Exactly the identities it was created with are set; empty strings are stored as
 * NULL.
 *
 * @param email login email, or empty
 * @param passwordHash bcrypt hash, or {@code null} for users without a password (phone, WeChat)
 * @param phone phone number, or empty
 * @param wechat WeChat identity, or {@link WechatInfo#NONE}
 * @param ctime creation time; also the first update time
 */
public record NewUser(
    String email, String passwordHash, String phone, WechatInfo wechat, Instant ctime) {
  public NewUser {
    email = Objects.requireNonNullElse(email, "");
    phone = Objects.requireNonNullElse(phone, "");
    wechat = Objects.requireNonNullElse(wechat, WechatInfo.NONE);
    Objects.requireNonNull(ctime, "ctime");
  }

  public static NewUser withEmail(String email, String passwordHash, Instant ctime) {
    return new NewUser(
        email, Objects.requireNonNull(passwordHash, "passwordHash"), "", WechatInfo.NONE, ctime);
  }

  public static NewUser withPhone(String phone, Instant ctime) {
    return new NewUser("", null, phone, WechatInfo.NONE, ctime);
  }

  public static NewUser withWechat(WechatInfo wechat, Instant ctime) {
    return new NewUser("", null, "", wechat, ctime);
  }

  /** Keeps the hash out of logs and assertion messages. */
  @Override
  public String toString() {
    return "NewUser[email="
        + email
        + ", passwordHash="
        + (passwordHash == null ? "null" : "***")
        + ", phone="
        + phone
        + ", wechat="
        + wechat
        + ", ctime="
        + ctime
        + "]";
  }
}
