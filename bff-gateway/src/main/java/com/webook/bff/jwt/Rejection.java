package com.webook.bff.jwt;

import java.util.Locale;

/** Why a request was not let in: the {@code reason} tag of {@code bff_auth_failures_total}. */
public enum Rejection {
  /** No {@code Authorization} header, or not {@code Bearer <token>}. */
  MISSING,
  /** Not a JWT at all (including {@code Bearer null}). */
  MALFORMED,
  /** A JWT whose header names another algorithm than HS256 (e.g. {@code none}). */
  ALGORITHM,
  /** Signed with another key, or tampered with. */
  SIGNATURE,
  EXPIRED,
  /** Signature fine, claims unusable: no {@code exp}, {@code Uid} ≤ 0, no {@code Ssid}. */
  CLAIMS,
  /** The access token was issued to another User-Agent. */
  USER_AGENT,
  /** The session was logged out ({@code users:ssid:<ssid>} exists). */
  LOGGED_OUT,
  /** The logout store (Redis) could not answer: fail closed. */
  SESSION_STORE_ERROR;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
