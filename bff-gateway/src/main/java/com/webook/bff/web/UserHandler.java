package com.webook.bff.web;

import static com.webook.bff.web.UserInput.text;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.webook.bff.client.CodeClient;
import com.webook.bff.client.UserClient;
import com.webook.bff.domain.User;
import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.RateLimitedException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Optional;

/**
 * The {@code /users/*} routes (SPEC §2.3, §2.2). Each method reads its request, applies the spec's
 * checks in the spec's order, calls user-svc, and answers with the spec's exact envelope. Failures
 * the user cannot act on propagate to {@link ErrorMapping}. Thread-safe (stateless).
 */
public final class UserHandler {
  /** The CodeService business of login codes. */
  static final String BIZ_LOGIN = "login";

  static final Result SIGNED_UP = Result.ok("注册成功");
  static final Result DUPLICATE_EMAIL = Result.error(401003, "邮箱冲突");
  static final Result SIGNUP_REJECTED = Result.error(401001, "输入有误");
  static final Result WRONG_CREDENTIALS = Result.error(401002, "用户名或者密码不对");
  static final Result LOGGED_IN = Result.ok("登录成功");
  static final Result CODE_SENT = Result.ok("发送成功");
  static final Result TOO_FREQUENT = Result.error(4, "短信发送太频繁，请稍后再试");
  static final Result WRONG_CODE = Result.error(4, "验证码错误");
  static final Result EDITED = Result.ok("OK");
  static final Result EDIT_REJECTED = Result.error(4, "输入有误");
  static final Result NO_SUCH_USER = Result.error(4, "用户不存在");
  static final Result LOGGED_OUT = Result.ok("退出登录成功");
  static final Result REFRESHED = Result.ok("刷新成功");

  record SignupRequest(
      String email, String password, @JsonAlias("confirm_password") String confirmPassword) {}

  record LoginRequest(String email, String password) {}

  record SendCodeRequest(String phone) {}

  record SmsLoginRequest(String phone, String code) {}

  record EditRequest(String nickname, String birthday, String aboutMe) {}

  /** The profile VO: a bare object with capitalised keys, as the existing clients read it. */
  @JsonPropertyOrder({"Email", "Phone", "Nickname", "Birthday", "AboutMe"})
  record Profile(
      @JsonProperty("Email") String email,
      @JsonProperty("Phone") String phone,
      @JsonProperty("Nickname") String nickname,
      @JsonProperty("Birthday") String birthday,
      @JsonProperty("AboutMe") String aboutMe) {}

  private final UserClient users;
  private final CodeClient codes;
  private final LoginTokens tokens;
  private final Json json;
  private final VoTime time;
  private final Clock clock;

  public UserHandler(
      UserClient users, CodeClient codes, LoginTokens tokens, Json json, VoTime time, Clock clock) {
    this.users = users;
    this.codes = codes;
    this.tokens = tokens;
    this.json = json;
    this.time = time;
    this.clock = clock;
  }

  /** POST /users/signup */
  public void signup(Context ctx) {
    SignupRequest req = json.read(ctx, SignupRequest.class);
    String email = text(req.email());
    String password = text(req.password());
    Optional<Result> invalid = UserInput.checkSignup(email, password, text(req.confirmPassword()));
    if (invalid.isPresent()) {
      json.write(ctx, invalid.get());
      return;
    }
    try {
      users.signup(email, password);
    } catch (ConflictException e) {
      json.write(ctx, DUPLICATE_EMAIL);
      return;
    } catch (InvalidInputException e) {
      json.write(ctx, SIGNUP_REJECTED);
      return;
    }
    json.write(ctx, SIGNED_UP);
  }

  /** POST /users/login */
  public void login(Context ctx) {
    LoginRequest req = json.read(ctx, LoginRequest.class);
    User user;
    try {
      user = users.login(text(req.email()), text(req.password()));
    } catch (InvalidInputException
        | NotFoundException e) { // one answer for both: no account probing
      json.write(ctx, WRONG_CREDENTIALS);
      return;
    }
    tokens.startSession(ctx, user.id());
    json.write(ctx, LOGGED_IN);
  }

  /** POST /users/login_sms/code/send */
  public void sendLoginCode(Context ctx) {
    String phone = text(json.read(ctx, SendCodeRequest.class).phone());
    if (!UserInput.isPhone(phone)) {
      json.write(ctx, UserInput.BAD_PHONE);
      return;
    }
    try {
      codes.send(BIZ_LOGIN, phone);
    } catch (RateLimitedException e) {
      json.write(ctx, TOO_FREQUENT);
      return;
    } catch (InvalidInputException e) {
      json.write(ctx, UserInput.BAD_PHONE);
      return;
    }
    json.write(ctx, CODE_SENT);
  }

  /** POST /users/login_sms */
  public void loginSms(Context ctx) {
    SmsLoginRequest req = json.read(ctx, SmsLoginRequest.class);
    String phone = text(req.phone());
    String code = text(req.code());
    if (!UserInput.isPhone(phone)) {
      json.write(ctx, UserInput.BAD_PHONE);
      return;
    }
    boolean ok;
    try {
      ok = !code.isBlank() && codes.verify(BIZ_LOGIN, phone, code);
    } catch (InvalidInputException | RateLimitedException e) { // never reveal why a code failed
      ok = false;
    }
    if (!ok) {
      json.write(ctx, WRONG_CODE);
      return;
    }
    User user;
    try {
      user = users.findOrCreateByPhone(phone);
    } catch (InvalidInputException e) {
      json.write(ctx, UserInput.BAD_PHONE);
      return;
    }
    tokens.startSession(ctx, user.id());
    json.write(ctx, LOGGED_IN);
  }

  /** POST /users/edit */
  public void edit(Context ctx) {
    EditRequest req = json.read(ctx, EditRequest.class);
    LocalDate today = LocalDate.now(clock.withZone(time.zone()));
    UserInput.EditCheck check =
        UserInput.checkEdit(text(req.nickname()), text(req.birthday()), text(req.aboutMe()), today);
    switch (check) {
      case UserInput.EditCheck.Rejected r -> json.write(ctx, r.result());
      case UserInput.EditCheck.Accepted a -> {
        UserInput.Edit edit = a.edit();
        try {
          users.updateNonSensitiveInfo(
              LoginTokens.claims(ctx).uid(),
              edit.nickname(),
              time.startOf(edit.birthday()),
              edit.aboutMe());
        } catch (NotFoundException e) {
          json.write(ctx, NO_SUCH_USER);
          return;
        } catch (InvalidInputException e) {
          json.write(ctx, EDIT_REJECTED);
          return;
        }
        json.write(ctx, EDITED);
      }
    }
  }

  /** GET /users/profile: the bare VO, not an envelope. */
  public void profile(Context ctx) {
    User user;
    try {
      user = users.profile(LoginTokens.claims(ctx).uid());
    } catch (NotFoundException e) {
      json.write(ctx, NO_SUCH_USER);
      return;
    }
    json.write(
        ctx,
        new Profile(
            user.email(),
            user.phone(),
            user.nickname(),
            user.birthdayIfSet().map(time::date).orElse(""),
            user.aboutMe()));
  }

  /** POST /users/logout */
  public void logout(Context ctx) {
    tokens.logout(ctx);
    json.write(ctx, LOGGED_OUT);
  }

  /** POST /users/refresh_token (public: the bearer is the refresh token) */
  public void refreshToken(Context ctx) {
    tokens.refresh(ctx);
    json.write(ctx, REFRESHED);
  }
}
