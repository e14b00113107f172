package com.webook.user.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc.Oauth2ServiceBlockingStub;
import com.webook.api.oauth2.v1.VerifyCodeRequest;
import com.webook.api.oauth2.v1.VerifyCodeResponse;
import com.webook.user.config.WechatConfig;
import com.webook.user.service.WechatOAuth2Service;
import com.webook.user.testing.FakeWechatServer;
import com.webook.user.testing.InProcessGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * oauth2.v1.Oauth2Service over the real WechatOAuth2Service, against a fake WeChat API on a
 * loopback port: the exact authorization URL, validation, and how each kind of WeChat answer maps
 * to a status.
 */
class Oauth2GrpcServiceTest {
  private static final String SECRET = "s3cr&t value";
  private FakeWechatServer wechat;
  private HttpClient http;
  private InProcessGrpc grpc;
  private Oauth2ServiceBlockingStub stub;

  @BeforeEach
  void start() {
    wechat = new FakeWechatServer();
    http = HttpClient.newHttpClient();
    startService(wechat.baseUrl());
  }

  private void startService(String apiBaseUrl) {
    WechatConfig config =
        new WechatConfig(
            "wx123",
            SECRET,
            "https://webook.example.com/oauth2/wechat/callback?x=1&y=2",
            "https://open.weixin.qq.com/connect/qrconnect",
            apiBaseUrl,
            Duration.ofMillis(500));
    grpc = new InProcessGrpc(new Oauth2GrpcService(new WechatOAuth2Service(config, http)));
    stub = Oauth2ServiceGrpc.newBlockingStub(grpc.channel());
  }

  @AfterEach
  void stop() {
    grpc.close();
    wechat.close();
    http.close();
  }

  @Test
  void authUrlIsExactlyWechatsQrConnectUrlWithEscapedParameters() {
    String url = stub.authURL(AuthURLRequest.newBuilder().setState("st-1").build()).getUrl();

    assertThat(url)
        .isEqualTo(
            "https://open.weixin.qq.com/connect/qrconnect?appid=wx123"
                + "&redirect_uri=https%3A%2F%2Fwebook.example.com%2Foauth2%2Fwechat%2Fcallback%3Fx%3D1%26y%3D2"
                + "&response_type=code&scope=snsapi_login&state=st-1#wechat_redirect");
  }

  @Test
  void authUrlEscapesTheState() {
    String url = stub.authURL(AuthURLRequest.newBuilder().setState("a&b=c#d").build()).getUrl();

    assertThat(url).contains("&state=a%26b%3Dc%23d#wechat_redirect");
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of(
            Named.of(
                "AuthURL: empty state",
                (Consumer<Oauth2ServiceBlockingStub>)
                    s -> s.authURL(AuthURLRequest.getDefaultInstance()))),
        Arguments.of(
            Named.of(
                "AuthURL: state of 129 characters",
                (Consumer<Oauth2ServiceBlockingStub>)
                    s -> s.authURL(AuthURLRequest.newBuilder().setState("s".repeat(129)).build()))),
        Arguments.of(
            Named.of(
                "VerifyCode: empty code",
                (Consumer<Oauth2ServiceBlockingStub>)
                    s -> s.verifyCode(VerifyCodeRequest.getDefaultInstance()))),
        Arguments.of(
            Named.of(
                "VerifyCode: code of 513 characters",
                (Consumer<Oauth2ServiceBlockingStub>) s -> s.verifyCode(code("c".repeat(513))))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidRequestsAnswerInvalidArgumentWithoutCallingWechat(
      Consumer<Oauth2ServiceBlockingStub> call) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> call.accept(stub));

    assertThat(e).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(wechat.queries()).isEmpty();
  }

  @Test
  void stateOf128CharactersIsAccepted() {
    assertThat(stub.authURL(AuthURLRequest.newBuilder().setState("s".repeat(128)).build()).getUrl())
        .contains("state=" + "s".repeat(128));
  }

  @Test
  void verifyCodeExchangesTheCodeAndReturnsOpenIdAndUnionId() {
    wechat.answer(
        200,
        """
        {"access_token":"ACCESS","expires_in":7200,"refresh_token":"REFRESH","openid":"o-123","scope":"snsapi_login","unionid":"u-456"}""");

    VerifyCodeResponse response = stub.verifyCode(code("the code&x=1"));

    assertThat(response.getOpenId()).isEqualTo("o-123");
    assertThat(response.getUnionId()).isEqualTo("u-456");
    assertThat(wechat.paths()).containsExactly("/sns/oauth2/access_token");
    assertThat(wechat.queries())
        .singleElement()
        .satisfies(
            q ->
                assertThat(q)
                    .containsEntry("appid", "wx123")
                    .containsEntry("secret", SECRET)
                    .containsEntry("code", "the code&x=1")
                    .containsEntry("grant_type", "authorization_code")
                    .hasSize(4));
  }

  @Test
  void verifyCodeWithoutUnionIdReturnsAnEmptyUnionId() {
    wechat.answer(200, "{\"openid\":\"o-123\",\"access_token\":\"A\"}");

    assertThat(stub.verifyCode(code("c")).getUnionId()).isEmpty();
  }

  static Stream<Arguments> wechatFailures() {
    return Stream.of(
        failure(
            "errcode 40029 (invalid code)",
            200,
            "{\"errcode\":40029,\"errmsg\":\"invalid code\"}",
            Status.Code.INVALID_ARGUMENT),
        failure(
            "errcode 40163 (code been used)",
            200,
            "{\"errcode\":40163,\"errmsg\":\"code been used\"}",
            Status.Code.INVALID_ARGUMENT),
        failure(
            "errcode -1 (system busy)",
            200,
            "{\"errcode\":-1,\"errmsg\":\"system error\"}",
            Status.Code.UNAVAILABLE),
        failure("HTTP 500", 500, "oops", Status.Code.UNAVAILABLE),
        failure("HTTP 503", 503, "", Status.Code.UNAVAILABLE),
        failure("HTTP 404", 404, "not found", Status.Code.UNAVAILABLE),
        failure("a body that is not JSON", 200, "<html>gateway</html>", Status.Code.UNAVAILABLE),
        failure("a JSON array", 200, "[]", Status.Code.UNAVAILABLE),
        failure("no openid", 200, "{\"access_token\":\"A\"}", Status.Code.UNAVAILABLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wechatFailures")
  void wechatAnswersMapToStatuses(int httpStatus, String body, Status.Code expected) {
    wechat.answer(httpStatus, body);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.verifyCode(code("c")));

    assertThat(e.getStatus().getCode()).isEqualTo(expected);
    assertThat(e.getStatus().getDescription()).doesNotContain(SECRET);
  }

  @Test
  void wechatNotAnsweringInTimeIsUnavailable() {
    wechat.hang();

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.verifyCode(code("c")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(wechat.queries()).as("the request did reach the server").hasSize(1);
  }

  @Test
  void wechatDownIsUnavailable() {
    String downUrl = wechat.baseUrl();
    wechat.close();
    grpc.close();
    startService(downUrl);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.verifyCode(code("c")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).doesNotContain(SECRET).doesNotContain("secret");
  }

  private static Arguments failure(String name, int status, String body, Status.Code expected) {
    return Arguments.of(Named.of(name, status), body, expected);
  }

  private static VerifyCodeRequest code(String code) {
    return VerifyCodeRequest.newBuilder().setCode(code).build();
  }
}
