package com.webook.user.grpc;

import static com.webook.platform.grpc.RequestChecks.itemCount;
import static com.webook.platform.grpc.RequestChecks.maxChars;
import static com.webook.platform.grpc.RequestChecks.notEmpty;
import static com.webook.platform.grpc.RequestChecks.positiveId;

import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.BatchProfileResponse;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.api.user.v1.FindOrCreateByWechatResponse;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.FindOrCreateResponse;
import com.webook.api.user.v1.LoginRequest;
import com.webook.api.user.v1.LoginResponse;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.ProfileResponse;
import com.webook.api.user.v1.SignupRequest;
import com.webook.api.user.v1.SignupResponse;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoResponse;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.grpc.ProtoTimestamps;
import com.webook.platform.validation.UserInputRules;
import com.webook.user.domain.User;
import com.webook.user.domain.WechatInfo;
import com.webook.user.service.UserService;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code user.v1.UserService}: validates every request, maps proto ↔ domain, and calls {@link
 * UserService}. Failures are thrown as domain exceptions; the server's ExceptionMappingInterceptor
 * turns them into statuses (the contract is in the module README). Responses never carry a
 * password.
 */
public final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
  static final int OPEN_ID_MAX = 128;
  static final int BATCH_MAX = 100;

  private final UserService users;
  private final Clock clock;

  public UserGrpcService(UserService users, Clock clock) {
    this.users = users;
    this.clock = clock;
  }

  @Override
  public void signup(SignupRequest request, StreamObserver<SignupResponse> out) {
    var user = request.getUser();
    // SPEC §2.3's rules, the same copy the BFF applies (gRPC callers other than the BFF exist).
    if (!UserInputRules.isEmail(user.getEmail())) {
      throw new InvalidInputException("email is not a valid email address");
    }
    if (!UserInputRules.isPassword(user.getPassword())) {
      throw new InvalidInputException(
          "password must be 8 to 72 characters with a letter, a digit and one of $@!%*#?&");
    }
    users.signup(user.getEmail(), user.getPassword());
    reply(out, SignupResponse.getDefaultInstance());
  }

  @Override
  public void login(LoginRequest request, StreamObserver<LoginResponse> out) {
    String email = notEmpty("email", request.getEmail());
    String password = notEmpty("password", request.getPassword());
    User user = users.login(email, password);
    reply(out, LoginResponse.newBuilder().setUser(toProto(user)).build());
  }

  @Override
  public void profile(ProfileRequest request, StreamObserver<ProfileResponse> out) {
    long id = positiveId("id", request.getId());
    reply(out, ProfileResponse.newBuilder().setUser(toProto(users.profile(id))).build());
  }

  @Override
  public void updateNonSensitiveInfo(
      UpdateNonSensitiveInfoRequest request, StreamObserver<UpdateNonSensitiveInfoResponse> out) {
    var user = request.getUser();
    long id = positiveId("user.id", user.getId());
    Optional<UserInputRules.ProfileProblem> problem =
        UserInputRules.checkProfileText(user.getNickname(), user.getAboutMe());
    if (problem.isPresent()) {
      throw new InvalidInputException(
          switch (problem.get()) {
            case EMPTY_NICKNAME -> "nickname must not be empty";
            case LONG_NICKNAME ->
                "nickname must be at most " + UserInputRules.NICKNAME_MAX_CHARS + " characters";
            case LONG_ABOUT_ME ->
                "aboutMe must be at most " + UserInputRules.ABOUT_ME_MAX_CHARS + " characters";
          });
    }
    Instant birthday = null;
    if (user.hasBirthday()) {
      birthday = ProtoTimestamps.requestInstant("birthday", user.getBirthday());
      if (!UserInputRules.isBirthday(birthday, clock.instant())) {
        throw new InvalidInputException("birthday must not be in the future");
      }
    }
    users.updateNonSensitiveInfo(id, user.getNickname(), birthday, user.getAboutMe());
    reply(out, UpdateNonSensitiveInfoResponse.getDefaultInstance());
  }

  @Override
  public void findOrCreate(FindOrCreateRequest request, StreamObserver<FindOrCreateResponse> out) {
    String phone = request.getPhone();
    if (!UserInputRules.isPhone(phone)) {
      throw new InvalidInputException("phone must be a mainland mobile number (1[3-9] + 9 digits)");
    }
    reply(
        out,
        FindOrCreateResponse.newBuilder()
            .setUser(toProto(users.findOrCreateByPhone(phone)))
            .build());
  }

  @Override
  public void findOrCreateByWechat(
      FindOrCreateByWechatRequest request, StreamObserver<FindOrCreateByWechatResponse> out) {
    var info = request.getInfo();
    String openId = maxChars("info.openId", notEmpty("info.openId", info.getOpenId()), OPEN_ID_MAX);
    String unionId = maxChars("info.unionId", info.getUnionId(), OPEN_ID_MAX);
    User user = users.findOrCreateByWechat(new WechatInfo(openId, unionId));
    reply(out, FindOrCreateByWechatResponse.newBuilder().setUser(toProto(user)).build());
  }

  @Override
  public void batchProfile(BatchProfileRequest request, StreamObserver<BatchProfileResponse> out) {
    List<Long> ids = itemCount("ids", request.getIdsList(), 1, BATCH_MAX);
    ids.forEach(id -> positiveId("ids", id));
    BatchProfileResponse.Builder response = BatchProfileResponse.newBuilder();
    users.batchProfile(ids).forEach((id, user) -> response.putUsers(id, toProto(user)));
    reply(out, response.build());
  }

  /** Domain → proto. Never sets {@code password}; leaves {@code birthday} unset when unknown. */
  static com.webook.api.user.v1.User toProto(User u) {
    var b =
        com.webook.api.user.v1.User.newBuilder()
            .setId(u.id())
            .setEmail(u.email())
            .setPhone(u.phone())
            .setNickname(u.nickname())
            .setAboutMe(u.aboutMe())
            .setCtime(ProtoTimestamps.toTimestamp(u.ctime()));
    if (u.birthday() != null) {
      b.setBirthday(ProtoTimestamps.toTimestamp(u.birthday()));
    }
    if (u.wechat().isPresent()) {
      b.setWechatInfo(
          com.webook.api.user.v1.WechatInfo.newBuilder()
              .setOpenId(u.wechat().openId())
              .setUnionId(u.wechat().unionId()));
    }
    return b.build();
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }
}
