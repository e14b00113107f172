package com.webook.bff.jwt;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.webook.bff.config.JwtConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Issues and verifies the two login tokens of SPEC §2.2, with the claim names the existing web
 * client and the Go services use ({@code Uid}, {@code Ssid}, {@code UserAgent}, {@code exp}).
 *
 * <p>Both are HS256 with different keys, so neither token can stand in for the other. The algorithm
 * is pinned by the verifier: a token whose header says {@code none} or any other algorithm is
 * rejected before its signature is looked at; {@code exp} must be present. Immutable and
 * thread-safe.
 */
public final class JwtTokens {
  static final String UID = "Uid";
  static final String SSID = "Ssid";
  static final String USER_AGENT = "UserAgent";

  private final Algorithm accessAlgorithm;
  private final Algorithm refreshAlgorithm;
  private final JWTVerifier accessVerifier;
  private final JWTVerifier refreshVerifier;
  private final Duration accessTtl;
  private final Duration refreshTtl;
  private final Clock clock;

  public JwtTokens(JwtConfig config, Clock clock) {
    this.accessAlgorithm = Algorithm.HMAC256(config.accessKey().getBytes(StandardCharsets.UTF_8));
    this.refreshAlgorithm = Algorithm.HMAC256(config.refreshKey().getBytes(StandardCharsets.UTF_8));
    this.accessVerifier = verifier(accessAlgorithm, clock);
    this.refreshVerifier = verifier(refreshAlgorithm, clock);
    this.accessTtl = config.accessTtl();
    this.refreshTtl = config.refreshTtl();
    this.clock = clock;
  }

  static JWTVerifier verifier(Algorithm algorithm, Clock clock) {
    return ((JWTVerifier.BaseVerification) JWT.require(algorithm).withClaimPresence("exp"))
        .build(clock);
  }

  public String issueAccess(long uid, String ssid, String userAgent) {
    return JWT.create()
        .withClaim(UID, uid)
        .withClaim(SSID, ssid)
        .withClaim(USER_AGENT, userAgent)
        .withExpiresAt(clock.instant().plus(accessTtl))
        .sign(accessAlgorithm);
  }

  public String issueRefresh(long uid, String ssid) {
    return JWT.create()
        .withClaim(UID, uid)
        .withClaim(SSID, ssid)
        .withExpiresAt(clock.instant().plus(refreshTtl))
        .sign(refreshAlgorithm);
  }

  /**
   * The claims of a valid access token.
   *
   * @throws TokenRejectedException with the reason; the User-Agent is checked by the caller
   */
  public AccessClaims verifyAccess(String token) {
    DecodedJWT jwt = verify(accessVerifier, token);
    String userAgent = jwt.getClaim(USER_AGENT).asString();
    return new AccessClaims(
        uid(jwt), ssid(jwt), userAgent == null ? "" : userAgent, jwt.getExpiresAtAsInstant());
  }

  /**
   * The claims of a valid refresh token.
   *
   * @throws TokenRejectedException with the reason
   */
  public RefreshClaims verifyRefresh(String token) {
    DecodedJWT jwt = verify(refreshVerifier, token);
    return new RefreshClaims(uid(jwt), ssid(jwt), jwt.getExpiresAtAsInstant());
  }

  /** How long a logged-out session must be remembered: as long as its refresh token lives. */
  public Duration refreshTtl() {
    return refreshTtl;
  }

  static DecodedJWT verify(JWTVerifier verifier, String token) {
    if (token == null || token.isBlank()) {
      throw new TokenRejectedException(Rejection.MISSING);
    }
    try {
      return verifier.verify(token);
    } catch (JWTDecodeException e) {
      throw new TokenRejectedException(Rejection.MALFORMED);
    } catch (AlgorithmMismatchException e) {
      throw new TokenRejectedException(Rejection.ALGORITHM);
    } catch (SignatureVerificationException e) {
      throw new TokenRejectedException(Rejection.SIGNATURE);
    } catch (TokenExpiredException e) {
      throw new TokenRejectedException(Rejection.EXPIRED);
    } catch (JWTVerificationException e) {
      throw new TokenRejectedException(Rejection.CLAIMS);
    }
  }

  private static long uid(DecodedJWT jwt) {
    Long uid = jwt.getClaim(UID).asLong();
    if (uid == null || uid <= 0) {
      throw new TokenRejectedException(Rejection.CLAIMS);
    }
    return uid;
  }

  private static String ssid(DecodedJWT jwt) {
    String ssid = jwt.getClaim(SSID).asString();
    if (ssid == null || ssid.isBlank()) {
      throw new TokenRejectedException(Rejection.CLAIMS);
    }
    return ssid;
  }
}
