package com.webook.bff.client;

import com.google.protobuf.Timestamp;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.LoginRequest;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.SignupRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.api.user.v1.WechatInfo;
import com.webook.bff.domain.User;
import com.webook.bff.domain.WechatIdentity;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.grpc.DownstreamCalls;
import com.webook.platform.grpc.ProtoTimestamps;
import io.grpc.Channel;
import java.time.Instant;

/**
 * user-svc's {@code user.v1.UserService}, as the BFF's handlers need it: domain records in and out,
 * failures as {@link DownstreamCalls} translates them. Thread-safe (stubs are).
 */
public final class UserClient {
  private final UserServiceGrpc.UserServiceBlockingStub stub;

  public UserClient(Channel channel) {
    this.stub = UserServiceGrpc.newBlockingStub(channel);
  }

  /** ConflictException: duplicate email; InvalidInputException: rejected email or password. */
  public void signup(String email, String password) {
    var user =
        com.webook.api.user.v1.User.newBuilder().setEmail(email).setPassword(password).build();
    DownstreamCalls.call(
        "user.Signup", () -> stub.signup(SignupRequest.newBuilder().setUser(user).build()));
  }

  /** InvalidInputException: unknown email or wrong password (indistinguishable on purpose). */
  public User login(String email, String password) {
    return toDomain(
        DownstreamCalls.call(
                "user.Login",
                () ->
                    stub.login(
                        LoginRequest.newBuilder().setEmail(email).setPassword(password).build()))
            .getUser());
  }

  /** NotFoundException: no such user. */
  public User profile(long id) {
    return toDomain(
        DownstreamCalls.call(
                "user.Profile", () -> stub.profile(ProfileRequest.newBuilder().setId(id).build()))
            .getUser());
  }

  /**
   * Changes only nickname, birthday and aboutMe. InvalidInputException: rejected by user-svc, or a
   * birthday a Timestamp cannot hold (before year 1), which user-svc would reject the same way.
   */
  public void updateNonSensitiveInfo(long id, String nickname, Instant birthday, String aboutMe) {
    Timestamp birthdayTs;
    try {
      birthdayTs = ProtoTimestamps.toTimestamp(birthday);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("birthday is not a valid timestamp", e);
    }
    var user =
        com.webook.api.user.v1.User.newBuilder()
            .setId(id)
            .setNickname(nickname)
            .setAboutMe(aboutMe)
            .setBirthday(birthdayTs)
            .build();
    DownstreamCalls.call(
        "user.UpdateNonSensitiveInfo",
        () ->
            stub.updateNonSensitiveInfo(
                UpdateNonSensitiveInfoRequest.newBuilder().setUser(user).build()));
  }

  public User findOrCreateByPhone(String phone) {
    return toDomain(
        DownstreamCalls.call(
                "user.FindOrCreate",
                () -> stub.findOrCreate(FindOrCreateRequest.newBuilder().setPhone(phone).build()))
            .getUser());
  }

  public User findOrCreateByWechat(WechatIdentity identity) {
    var info =
        WechatInfo.newBuilder().setOpenId(identity.openId()).setUnionId(identity.unionId()).build();
    return toDomain(
        DownstreamCalls.call(
                "user.FindOrCreateByWechat",
                () ->
                    stub.findOrCreateByWechat(
                        FindOrCreateByWechatRequest.newBuilder().setInfo(info).build()))
            .getUser());
  }

  static User toDomain(com.webook.api.user.v1.User u) {
    // Timestamp zero means "not set" as well: proto3 cannot tell an unset birthday from the epoch.
    Instant birthday = ProtoTimestamps.toInstantIfSet(u.getBirthday()).orElse(null);
    return new User(
        u.getId(), u.getEmail(), u.getPhone(), u.getNickname(), birthday, u.getAboutMe());
  }
}
