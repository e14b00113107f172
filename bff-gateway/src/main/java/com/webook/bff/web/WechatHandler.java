package com.webook.bff.web;

import com.webook.bff.client.UserClient;
import com.webook.bff.client.WechatClient;
import com.webook.bff.domain.User;
import com.webook.bff.domain.WechatIdentity;
import com.webook.bff.jwt.StateTokens;
import com.webook.platform.errors.InvalidInputException;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.util.UUID;

/**
 * WeChat login (SPEC §2.3, §4.6). {@code authurl} draws a random state, asks user-svc for the
 * WeChat URL carrying it, and pins the state to this browser in the signed, HttpOnly cookie {@code
 * jwt-state} (visible only to the callback path). {@code callback} accepts WeChat's answer only if
 * its state matches the cookie (anti-CSRF: nobody can make a victim's browser complete a login the
 * attacker started), then exchanges the code, finds or creates the user and logs in. Thread-safe
 * (stateless).
 */
public final class WechatHandler {
  static final String STATE_COOKIE = "jwt-state";
  static final String CALLBACK_PATH = "/oauth2/wechat/callback";
  static final Result ILLEGAL_REQUEST = Result.error(4, "非法请求");

  private final WechatClient wechat;
  private final UserClient users;
  private final LoginTokens tokens;
  private final StateTokens states;
  private final boolean secureCookie;
  private final Json json;

  public WechatHandler(
      WechatClient wechat,
      UserClient users,
      LoginTokens tokens,
      StateTokens states,
      boolean secureCookie,
      Json json) {
    this.wechat = wechat;
    this.users = users;
    this.tokens = tokens;
    this.states = states;
    this.secureCookie = secureCookie;
    this.json = json;
  }

  /** GET /oauth2/wechat/authurl */
  public void authUrl(Context ctx) {
    String state = UUID.randomUUID().toString();
    String url = wechat.authUrl(state);
    ctx.cookie(
        new Cookie(
            STATE_COOKIE,
            states.issue(state),
            CALLBACK_PATH,
            (int) states.ttl().toSeconds(),
            secureCookie,
            true,
            null,
            SameSite.LAX));
    json.write(ctx, Result.ok("", url));
  }

  /** GET /oauth2/wechat/callback?code&state */
  public void callback(Context ctx) {
    String code = ctx.queryParam("code");
    if (!states.matches(ctx.cookie(STATE_COOKIE), ctx.queryParam("state"))
        || code == null
        || code.isBlank()) {
      json.write(ctx, ILLEGAL_REQUEST);
      return;
    }
    WechatIdentity identity;
    try {
      identity = wechat.verifyCode(code);
    } catch (InvalidInputException e) {
      json.write(ctx, ILLEGAL_REQUEST);
      return;
    }
    User user = users.findOrCreateByWechat(identity);
    tokens.startSession(ctx, user.id());
    ctx.removeCookie(STATE_COOKIE, CALLBACK_PATH); // one login per state
    json.write(ctx, UserHandler.LOGGED_IN);
  }
}
