package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.http.HttpResponse;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The routes of SPEC §2.3 through real HTTP and real gRPC (in-process fake user-svc, logouts in
 * memory, no Redis): every message, every downstream status → envelope, every malformed body → 400.
 * Each answer is compared byte for byte: clients parse these.
 */
class UserRoutesTest {
  private static final String PASSWORD = "hello#world123";
  private static TestBff bff;
  private static String token;

  @BeforeAll
  static void start() {
    bff = TestBff.inMemory();
    token = TestBff.accessToken(bff.signupAndLogin("routes@test.com", PASSWORD));
  }

  @AfterAll
  static void stop() {
    bff.close();
  }

  @BeforeEach
  void heal() {
    bff.userSvc.heal();
  }

  private static String env(int code, String msg) {
    return "{\"code\":" + code + ",\"msg\":\"" + msg + "\",\"data\":null}";
  }

  private static HttpResponse<String> post(String path, String body) {
    return bff.post(path, body);
  }

  private static HttpResponse<String> authed(String path, String body) {
    return bff.post(path, body, "Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> authedGet(String path) {
    return bff.get(path, "Authorization", "Bearer " + token);
  }

  /** A callback request whose state cookie is valid (fetched from authurl first). */
  private static HttpResponse<String> validCallback(String code) {
    HttpResponse<String> auth = bff.get("/oauth2/wechat/authurl");
    String url = TestBff.json(auth).get("data").asText();
    String state = url.substring(FakeUserSvc.WECHAT_URL.length(), url.indexOf('#'));
    String cookie = auth.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    return bff.get("/oauth2/wechat/callback?code=" + code + "&state=" + state, "Cookie", cookie);
  }

  static Stream<Arguments> messages() {
    String signup = "/users/signup";
    return Stream.of(
        Arguments.of(
            "signup OK",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"new1@test.com\",\"password\":\""
                            + PASSWORD
                            + "\",\"confirmPassword\":\""
                            + PASSWORD
                            + "\"}"),
            env(0, "注册成功")),
        Arguments.of(
            "signup accepts confirm_password",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"new2@test.com\",\"password\":\""
                            + PASSWORD
                            + "\",\"confirm_password\":\""
                            + PASSWORD
                            + "\"}"),
            env(0, "注册成功")),
        Arguments.of(
            "signup bad email",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"nope\",\"password\":\""
                            + PASSWORD
                            + "\",\"confirmPassword\":\""
                            + PASSWORD
                            + "\"}"),
            env(401001, "邮箱格式不对")),
        Arguments.of(
            "signup passwords differ",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"a@test.com\",\"password\":\""
                            + PASSWORD
                            + "\",\"confirmPassword\":\"other\"}"),
            env(401001, "两次输入的密码不一致")),
        Arguments.of(
            "signup weak password",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"a@test.com\",\"password\":\"12345678\",\"confirm_password\":\"12345678\"}"),
            env(401001, "密码必须包含字母、数字、特殊字符，并且长度在 8 到 72 位之间")),
        Arguments.of(
            "signup duplicate",
            (Supplier<?>)
                () ->
                    post(
                        signup,
                        "{\"email\":\"routes@test.com\",\"password\":\""
                            + PASSWORD
                            + "\",\"confirmPassword\":\""
                            + PASSWORD
                            + "\"}"),
            env(401003, "邮箱冲突")),
        Arguments.of(
            "signup missing fields", (Supplier<?>) () -> post(signup, "{}"), env(401001, "邮箱格式不对")),
        Arguments.of(
            "login wrong password",
            (Supplier<?>)
                () ->
                    post(
                        "/users/login",
                        "{\"email\":\"routes@test.com\",\"password\":\"wrong#pass1\"}"),
            env(401002, "用户名或者密码不对")),
        Arguments.of(
            "login unknown email",
            (Supplier<?>)
                () ->
                    post(
                        "/users/login",
                        "{\"email\":\"nobody@test.com\",\"password\":\"" + PASSWORD + "\"}"),
            env(401002, "用户名或者密码不对")),
        Arguments.of(
            "login OK",
            (Supplier<?>)
                () ->
                    post(
                        "/users/login",
                        "{\"email\":\"routes@test.com\",\"password\":\"" + PASSWORD + "\"}"),
            env(0, "登录成功")),
        Arguments.of(
            "send code empty phone",
            (Supplier<?>) () -> post("/users/login_sms/code/send", "{\"phone\":\"\"}"),
            env(4, "手机号码格式不对")),
        Arguments.of(
            "send code bad phone",
            (Supplier<?>) () -> post("/users/login_sms/code/send", "{\"phone\":\"12345\"}"),
            env(4, "手机号码格式不对")),
        Arguments.of(
            "send code OK",
            (Supplier<?>) () -> post("/users/login_sms/code/send", "{\"phone\":\"13800000001\"}"),
            env(0, "发送成功")),
        Arguments.of(
            "login_sms bad phone",
            (Supplier<?>)
                () -> post("/users/login_sms", "{\"phone\":\"1380000\",\"code\":\"123456\"}"),
            env(4, "手机号码格式不对")),
        Arguments.of(
            "login_sms no code sent",
            (Supplier<?>)
                () -> post("/users/login_sms", "{\"phone\":\"13800000002\",\"code\":\"123456\"}"),
            env(4, "验证码错误")),
        Arguments.of(
            "login_sms empty code",
            (Supplier<?>)
                () -> post("/users/login_sms", "{\"phone\":\"13800000002\",\"code\":\"\"}"),
            env(4, "验证码错误")),
        Arguments.of(
            "edit empty nickname",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\"\",\"birthday\":\"1990-01-01\",\"aboutMe\":\"\"}"),
            env(4, "昵称不能为空")),
        Arguments.of(
            "edit long nickname",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\""
                            + "n".repeat(65)
                            + "\",\"birthday\":\"1990-01-01\",\"aboutMe\":\"\"}"),
            env(4, "昵称过长")),
        Arguments.of(
            "edit long about me",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\"n\",\"birthday\":\"1990-01-01\",\"aboutMe\":\""
                            + "a".repeat(1025)
                            + "\"}"),
            env(4, "关于我过长")),
        Arguments.of(
            "edit bad date",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\"n\",\"birthday\":\"1990-13-01\",\"aboutMe\":\"\"}"),
            env(4, "日期格式不对")),
        Arguments.of(
            "edit future date",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\"n\",\"birthday\":\"2999-01-01\",\"aboutMe\":\"\"}"),
            env(4, "日期格式不对")),
        Arguments.of(
            "edit OK",
            (Supplier<?>)
                () ->
                    authed(
                        "/users/edit",
                        "{\"nickname\":\"n\",\"birthday\":\"1990-01-01\",\"aboutMe\":\"\"}"),
            env(0, "OK")),
        Arguments.of(
            "callback without cookie",
            (Supplier<?>) () -> bff.get("/oauth2/wechat/callback?code=c&state=s"),
            env(4, "非法请求")),
        Arguments.of(
            "callback with a code WeChat rejects",
            (Supplier<?>) () -> validCallback("not-a-code"),
            env(4, "非法请求")),
        Arguments.of(
            "callback without code", (Supplier<?>) () -> validCallback(""), env(4, "非法请求")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("messages")
  void answersWithTheSpecsExactMessages(
      String name, Supplier<HttpResponse<String>> call, String expected) {
    HttpResponse<String> r = call.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).isEqualTo(expected);
  }

  static Stream<Arguments> downstreamFailures() {
    String signupBody =
        "{\"email\":\"fail@test.com\",\"password\":\""
            + PASSWORD
            + "\",\"confirmPassword\":\""
            + PASSWORD
            + "\"}";
    String loginBody = "{\"email\":\"routes@test.com\",\"password\":\"" + PASSWORD + "\"}";
    String phone = "{\"phone\":\"13900000009\"}";
    String edit = "{\"nickname\":\"n\",\"birthday\":\"1990-01-01\",\"aboutMe\":\"\"}";
    Supplier<HttpResponse<String>> signup = () -> post("/users/signup", signupBody);
    Supplier<HttpResponse<String>> login = () -> post("/users/login", loginBody);
    Supplier<HttpResponse<String>> send = () -> post("/users/login_sms/code/send", phone);
    Supplier<HttpResponse<String>> smsLogin =
        () -> post("/users/login_sms", "{\"phone\":\"13900000009\",\"code\":\"123456\"}");
    Supplier<HttpResponse<String>> editCall = () -> authed("/users/edit", edit);
    Supplier<HttpResponse<String>> profile = () -> authedGet("/users/profile");
    Supplier<HttpResponse<String>> authUrl = () -> bff.get("/oauth2/wechat/authurl");
    Supplier<HttpResponse<String>> callback =
        () -> {
          bff.userSvc.wechatAccepts("good-code", "open-1", "union-1");
          return validCallback("good-code");
        };
    String userSystem = env(501001, "系统错误");
    String system = env(5, "系统错误");
    return Stream.of(
        Arguments.of("Signup", Status.Code.ALREADY_EXISTS, signup, env(401003, "邮箱冲突")),
        Arguments.of("Signup", Status.Code.INVALID_ARGUMENT, signup, env(401001, "输入有误")),
        Arguments.of("Signup", Status.Code.UNAVAILABLE, signup, userSystem),
        Arguments.of("Signup", Status.Code.DEADLINE_EXCEEDED, signup, userSystem),
        Arguments.of("Signup", Status.Code.INTERNAL, signup, userSystem),
        Arguments.of("Signup", Status.Code.UNKNOWN, signup, userSystem),
        Arguments.of("Login", Status.Code.INVALID_ARGUMENT, login, env(401002, "用户名或者密码不对")),
        Arguments.of("Login", Status.Code.NOT_FOUND, login, env(401002, "用户名或者密码不对")),
        Arguments.of("Login", Status.Code.UNAVAILABLE, login, userSystem),
        Arguments.of("Login", Status.Code.DEADLINE_EXCEEDED, login, userSystem),
        Arguments.of("Login", Status.Code.INTERNAL, login, userSystem),
        Arguments.of("Send", Status.Code.RESOURCE_EXHAUSTED, send, env(4, "短信发送太频繁，请稍后再试")),
        Arguments.of("Send", Status.Code.INVALID_ARGUMENT, send, env(4, "手机号码格式不对")),
        Arguments.of("Send", Status.Code.UNAVAILABLE, send, system),
        Arguments.of("Send", Status.Code.INTERNAL, send, system),
        Arguments.of("Send", Status.Code.DEADLINE_EXCEEDED, send, system),
        Arguments.of("Verify", Status.Code.INVALID_ARGUMENT, smsLogin, env(4, "验证码错误")),
        Arguments.of("Verify", Status.Code.RESOURCE_EXHAUSTED, smsLogin, env(4, "验证码错误")),
        Arguments.of("Verify", Status.Code.UNAVAILABLE, smsLogin, system),
        Arguments.of("Verify", Status.Code.INTERNAL, smsLogin, system),
        Arguments.of("UpdateNonSensitiveInfo", Status.Code.NOT_FOUND, editCall, env(4, "用户不存在")),
        Arguments.of(
            "UpdateNonSensitiveInfo", Status.Code.INVALID_ARGUMENT, editCall, env(4, "输入有误")),
        Arguments.of("UpdateNonSensitiveInfo", Status.Code.UNAVAILABLE, editCall, system),
        Arguments.of("UpdateNonSensitiveInfo", Status.Code.DEADLINE_EXCEEDED, editCall, system),
        Arguments.of("Profile", Status.Code.NOT_FOUND, profile, env(4, "用户不存在")),
        Arguments.of("Profile", Status.Code.UNAVAILABLE, profile, userSystem),
        Arguments.of("Profile", Status.Code.INTERNAL, profile, userSystem),
        Arguments.of("Profile", Status.Code.DEADLINE_EXCEEDED, profile, userSystem),
        Arguments.of("AuthURL", Status.Code.UNAVAILABLE, authUrl, system),
        Arguments.of("AuthURL", Status.Code.INTERNAL, authUrl, system),
        Arguments.of("VerifyCode", Status.Code.INVALID_ARGUMENT, callback, env(4, "非法请求")),
        Arguments.of("VerifyCode", Status.Code.UNAVAILABLE, callback, system),
        Arguments.of("FindOrCreateByWechat", Status.Code.UNAVAILABLE, callback, system),
        Arguments.of("FindOrCreateByWechat", Status.Code.INTERNAL, callback, system));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("downstreamFailures")
  void mapsEveryDownstreamStatus(
      String method, Status.Code code, Supplier<HttpResponse<String>> call, String expected) {
    bff.userSvc.failWith(
        method, Status.fromCode(code).withDescription("internal detail: pool db-3 exhausted"));
    HttpResponse<String> r = call.get();
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(expected).doesNotContain("db-3");
    assertThat(r.headers().firstValue("x-jwt-token")).as("no tokens on failure").isEmpty();
  }

  @Test
  void smsLoginMapsFindOrCreateFailuresAfterAValidCode() {
    assertThat(post("/users/login_sms/code/send", "{\"phone\":\"13700000007\"}").body())
        .isEqualTo(env(0, "发送成功"));
    String code = bff.userSvc.sentCode("login", "13700000007").orElseThrow();
    bff.userSvc.failWith("FindOrCreate", Status.UNAVAILABLE);
    HttpResponse<String> r =
        post("/users/login_sms", "{\"phone\":\"13700000007\",\"code\":\"" + code + "\"}");
    assertThat(r.body()).isEqualTo(env(5, "系统错误"));
    assertThat(r.headers().firstValue("x-jwt-token")).isEmpty();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("not JSON", "/users/login", "email=a&password=b"),
        Arguments.of("empty", "/users/signup", ""),
        Arguments.of("truncated", "/users/signup", "{\"email\":\"a@b.c\""),
        Arguments.of("JSON null", "/users/login", "null"),
        Arguments.of("an array", "/users/login", "[1,2]"),
        Arguments.of(
            "a number where a string belongs",
            "/users/login_sms/code/send",
            "{\"phone\":13800000000}"),
        Arguments.of(
            "an object where a string belongs",
            "/users/login_sms",
            "{\"phone\":{},\"code\":\"1\"}"),
        Arguments.of("trailing garbage", "/users/signup", "{} {}"),
        Arguments.of("edit with garbage", "/users/edit", "{nickname: 'x'}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void unparseableBodiesAre400(String name, String path, String body) {
    HttpResponse<String> r = bff.post(path, body, "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"code\":4,\"msg\":\"请求格式错误\",\"data\":null}");
  }

  static Stream<Arguments> protectedRoutes() {
    return Stream.of(
        Arguments.of("POST", "/users/edit"),
        Arguments.of("GET", "/users/profile"),
        Arguments.of("POST", "/users/logout"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("protectedRoutes")
  void loggedInRoutesNeedAToken(String method, String path) {
    HttpResponse<String> r =
        bff.send(
            bff.request(path)
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEmpty();
  }

  static Stream<Arguments> publicRoutes() {
    return Stream.of(
        Arguments.of("POST", "/users/signup"),
        Arguments.of("POST", "/users/login"),
        Arguments.of("POST", "/users/login_sms/code/send"),
        Arguments.of("POST", "/users/login_sms"),
        Arguments.of("GET", "/oauth2/wechat/authurl"),
        Arguments.of("GET", "/oauth2/wechat/callback"),
        Arguments.of("GET", "/hello"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("publicRoutes")
  void publicRoutesAnswerWithoutAToken(String method, String path) {
    HttpResponse<String> r =
        bff.send(
            bff.request(path)
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isNotEmpty();
  }

  @Test
  void refreshTokenIsPublicButNeedsARefreshToken() {
    HttpResponse<String> r = post("/users/refresh_token", "");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).isEmpty();
    HttpResponse<String> withAccessToken =
        bff.post("/users/refresh_token", "", "Authorization", "Bearer " + token);
    assertThat(withAccessToken.statusCode())
        .as("an access token is no refresh token (other key)")
        .isEqualTo(401);
    assertThat(bff.authFailures("refresh", "signature")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void headFollowsTheAccessOfItsGetRoute() {
    HttpResponse<String> hello =
        bff.send(
            bff.request("/hello")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(hello.statusCode()).isEqualTo(200);
    HttpResponse<String> profile =
        bff.send(
            bff.request("/users/profile")
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
    assertThat(profile.statusCode()).isEqualTo(401);
  }

  @Test
  void unknownPathsAre404WithARequestId() {
    HttpResponse<String> r = bff.get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
  }
}
