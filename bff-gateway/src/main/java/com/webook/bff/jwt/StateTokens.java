package com.webook.bff.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.webook.bff.config.WechatConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * The anti-CSRF state of a WeChat login (SPEC §4.6): the random state travels to WeChat and back in
 * the URL, and rides in an HS256 cookie {@code {State, exp}} that only this BFF can mint. A
 * callback is accepted only when both agree. Immutable and thread-safe.
 */
public final class StateTokens {
  static final String STATE = "State";

  private final Algorithm algorithm;
  private final JWTVerifier verifier;
  private final Duration ttl;
  private final Clock clock;

  public StateTokens(WechatConfig config, Clock clock) {
    this.algorithm = Algorithm.HMAC256(config.stateKey().getBytes(StandardCharsets.UTF_8));
    this.verifier = JwtTokens.verifier(algorithm, clock);
    this.ttl = config.stateTtl();
    this.clock = clock;
  }

  public String issue(String state) {
    return JWT.create()
        .withClaim(STATE, state)
        .withExpiresAt(clock.instant().plus(ttl))
        .sign(algorithm);
  }

  /** True when {@code cookie} is a valid, unexpired state token carrying exactly {@code state}. */
  public boolean matches(String cookie, String state) {
    if (state == null || state.isEmpty()) {
      return false;
    }
    String signed;
    try {
      signed = JwtTokens.verify(verifier, cookie).getClaim(STATE).asString();
    } catch (TokenRejectedException e) {
      return false;
    }
    return signed != null
        && MessageDigest.isEqual(
            signed.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8));
  }

  public Duration ttl() {
    return ttl;
  }
}
