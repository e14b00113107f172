package com.webook.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.oauth2.v1.VerifyCodeRequest;
import com.webook.api.oauth2.v1.VerifyCodeResponse;
import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.FindOrCreateByWechatRequest;
import com.webook.api.user.v1.FindOrCreateRequest;
import com.webook.api.user.v1.LoginRequest;
import com.webook.api.user.v1.ProfileRequest;
import com.webook.api.user.v1.SignupRequest;
import com.webook.api.user.v1.UpdateNonSensitiveInfoRequest;
import com.webook.api.user.v1.User;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.api.user.v1.WechatInfo;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.user.testing.FakeWechatServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * user-svc as a real process (UserApp, configured only through WEBOOK_* variables) driven over
 * plain gRPC like the BFF drives it: the account flows, the error codes of the contract, and the
 * WeChat exchange against a fake WeChat API.
 */
class UserProcessIT {
  private static final String PASSWORD = "hello#world123";
  private static final String WECHAT_SECRET = "it-wechat-secret-42";

  @Test
  void servesTheUserAndOauth2ContractsOverGrpc() throws Exception {
    int grpcPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    try (TestDatabase db = TestStack.newDatabase("user_process");
        FakeWechatServer wechat = new FakeWechatServer();
        ServiceProcess process =
            ServiceProcess.builder("user-svc-process-it", UserApp.class.getName())
                .env(TestStack.serviceEnv(db.name()))
                .env("WEBOOK_GRPC_PORT", String.valueOf(grpcPort))
                .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
                .env("WEBOOK_GRPC_DRAIN_WINDOW", "0s")
                .env("WEBOOK_REGISTRY_ENABLED", "false")
                .env("WEBOOK_USER_BCRYPT_COST", "4")
                .env("WEBOOK_CACHE_KEY_NAMESPACE", TestStack.unique("user-process") + ":")
                .env("WEBOOK_WECHAT_APP_ID", "wx-it")
                .env("WEBOOK_WECHAT_APP_SECRET", WECHAT_SECRET)
                .env("WEBOOK_WECHAT_API_BASE_URL", wechat.baseUrl())
                .start()) {
      process.awaitReady(adminPort, Duration.ofSeconds(90));
      ManagedChannel channel =
          NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
      try {
        var users =
            UserServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        var oauth2 =
            Oauth2ServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);

        // Signup, duplicate, invalid input
        users.signup(signup("alice@example.com", PASSWORD));
        assertThat(code(() -> users.signup(signup("alice@example.com", PASSWORD))))
            .isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(code(() -> users.signup(signup("not-an-email", PASSWORD))))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> users.signup(signup("bob@example.com", "short1$"))))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);

        // Login: success, and two failures that look alike
        User alice = users.login(login("alice@example.com", PASSWORD)).getUser();
        assertThat(alice.getId()).isPositive();
        assertThat(alice.getPassword()).isEmpty();
        StatusRuntimeException wrong =
            failure(() -> users.login(login("alice@example.com", "wrong#pass123")));
        StatusRuntimeException unknown =
            failure(() -> users.login(login("nobody@example.com", PASSWORD)));
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(wrong.getStatus().getDescription()).isEqualTo("invalid email or password");
        assertThat(unknown.getStatus().getCode()).isEqualTo(wrong.getStatus().getCode());
        assertThat(unknown.getStatus().getDescription())
            .isEqualTo(wrong.getStatus().getDescription());

        // Profile and update
        User profile =
            users.profile(ProfileRequest.newBuilder().setId(alice.getId()).build()).getUser();
        assertThat(profile.getEmail()).isEqualTo("alice@example.com");
        assertThat(profile.hasBirthday()).isFalse();
        assertThat(profile.hasCtime()).isTrue();
        Instant birthday = Instant.parse("1990-06-07T00:00:00Z");
        users.updateNonSensitiveInfo(
            UpdateNonSensitiveInfoRequest.newBuilder()
                .setUser(
                    User.newBuilder()
                        .setId(alice.getId())
                        .setNickname("Alice")
                        .setAboutMe("hello")
                        .setBirthday(ts(birthday)))
                .build());
        User updated =
            users.profile(ProfileRequest.newBuilder().setId(alice.getId()).build()).getUser();
        assertThat(updated.getNickname()).isEqualTo("Alice");
        assertThat(updated.getAboutMe()).isEqualTo("hello");
        assertThat(updated.getBirthday()).isEqualTo(ts(birthday));
        assertThat(updated.getEmail()).isEqualTo("alice@example.com");
        assertThat(code(() -> users.profile(ProfileRequest.newBuilder().setId(0).build())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(
                code(() -> users.profile(ProfileRequest.newBuilder().setId(987_654_321L).build())))
            .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(
                code(
                    () ->
                        users.updateNonSensitiveInfo(
                            UpdateNonSensitiveInfoRequest.newBuilder()
                                .setUser(User.newBuilder().setId(alice.getId()).setNickname(""))
                                .build())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(
                code(
                    () ->
                        users.updateNonSensitiveInfo(
                            UpdateNonSensitiveInfoRequest.newBuilder()
                                .setUser(User.newBuilder().setId(987_654_321L).setNickname("x"))
                                .build())))
            .isEqualTo(Status.Code.NOT_FOUND);

        // FindOrCreate by phone and by WeChat
        User byPhone =
            users
                .findOrCreate(FindOrCreateRequest.newBuilder().setPhone("13812345678").build())
                .getUser();
        assertThat(
                users
                    .findOrCreate(FindOrCreateRequest.newBuilder().setPhone("13812345678").build())
                    .getUser()
                    .getId())
            .isEqualTo(byPhone.getId());
        assertThat(
                code(
                    () ->
                        users.findOrCreate(
                            FindOrCreateRequest.newBuilder().setPhone("12345").build())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        var wechatRequest =
            FindOrCreateByWechatRequest.newBuilder()
                .setInfo(WechatInfo.newBuilder().setOpenId("o-it").setUnionId("u-it"))
                .build();
        User byWechat = users.findOrCreateByWechat(wechatRequest).getUser();
        assertThat(users.findOrCreateByWechat(wechatRequest).getUser().getId())
            .isEqualTo(byWechat.getId());

        // BatchProfile
        var batch =
            users
                .batchProfile(
                    BatchProfileRequest.newBuilder()
                        .addIds(alice.getId())
                        .addIds(byPhone.getId())
                        .addIds(987_654_321L)
                        .build())
                .getUsersMap();
        assertThat(batch).containsOnlyKeys(alice.getId(), byPhone.getId());
        assertThat(code(() -> users.batchProfile(BatchProfileRequest.getDefaultInstance())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);

        // WeChat OAuth2
        assertThat(oauth2.authURL(AuthURLRequest.newBuilder().setState("st").build()).getUrl())
            .startsWith("https://open.weixin.qq.com/connect/qrconnect?appid=wx-it&redirect_uri=")
            .endsWith("&response_type=code&scope=snsapi_login&state=st#wechat_redirect");
        wechat.answer(200, "{\"openid\":\"o-it\",\"unionid\":\"u-it\",\"access_token\":\"A\"}");
        VerifyCodeResponse verified =
            oauth2.verifyCode(VerifyCodeRequest.newBuilder().setCode("good-code").build());
        assertThat(verified.getOpenId()).isEqualTo("o-it");
        assertThat(verified.getUnionId()).isEqualTo("u-it");
        assertThat(wechat.queries())
            .last()
            .satisfies(
                q ->
                    assertThat(q)
                        .containsEntry("secret", WECHAT_SECRET)
                        .containsEntry("appid", "wx-it")
                        .containsEntry("code", "good-code"));
        wechat.answer(200, "{\"errcode\":40029,\"errmsg\":\"invalid code\"}");
        assertThat(
                code(
                    () ->
                        oauth2.verifyCode(
                            VerifyCodeRequest.newBuilder().setCode("bad-code").build())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(code(() -> oauth2.verifyCode(VerifyCodeRequest.getDefaultInstance())))
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }

      process.terminate();
      assertThat(process.waitForExit(Duration.ofSeconds(30)))
          .as("exit code after SIGTERM")
          .isZero();
      // The harness's own first line records the environment it passed; the service's output
      // follows.
      String serviceOutput =
          process
              .log()
              .lines()
              .filter(l -> !l.startsWith("==== start"))
              .collect(java.util.stream.Collectors.joining("\n"));
      assertThat(serviceOutput).as("service output").contains("serving gRPC");
      assertThat(serviceOutput)
          .as("secrets never logged")
          .doesNotContain(PASSWORD)
          .doesNotContain(WECHAT_SECRET)
          .doesNotContain("good-code");
    }
  }

  private static Status.Code code(Runnable call) {
    return failure(call).getStatus().getCode();
  }

  private static StatusRuntimeException failure(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call must fail").isNotNull();
    return e;
  }

  private static SignupRequest signup(String email, String password) {
    return SignupRequest.newBuilder()
        .setUser(User.newBuilder().setEmail(email).setPassword(password))
        .build();
  }

  private static LoginRequest login(String email, String password) {
    return LoginRequest.newBuilder().setEmail(email).setPassword(password).build();
  }

  private static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }
}
