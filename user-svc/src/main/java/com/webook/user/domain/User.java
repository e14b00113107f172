package com.webook.user.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A user account as the rest of the system sees it. It never carries the password hash: that stays
 * between the repository and the login check. Absent email/phone are empty strings here (and NULL
 * in the database, so that the unique keys allow many of them).
 *
 * @param id database id, &gt; 0
 * @param email login email, or empty for phone/WeChat users
 * @param phone phone number, or empty
 * @param nickname display name, may be empty
 * @param birthday the birthday as an instant (epoch milliseconds in storage), or {@code null} when
 *     the user has not given one
 * @param aboutMe free text, may be empty
 * @param wechat WeChat identity, {@link WechatInfo#NONE} when absent
 * @param ctime creation time (millisecond precision)
 * @param utime last update time (millisecond precision)
 */
public record User(
    long id,
    String email,
    String phone,
    String nickname,
    Instant birthday,
    String aboutMe,
    WechatInfo wechat,
    Instant ctime,
    Instant utime) {
  public User {
    email = Objects.requireNonNullElse(email, "");
    phone = Objects.requireNonNullElse(phone, "");
    nickname = Objects.requireNonNullElse(nickname, "");
    aboutMe = Objects.requireNonNullElse(aboutMe, "");
    wechat = Objects.requireNonNullElse(wechat, WechatInfo.NONE);
    Objects.requireNonNull(ctime, "ctime");
    Objects.requireNonNull(utime, "utime");
  }
}
