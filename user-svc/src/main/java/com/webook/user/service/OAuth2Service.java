package com.webook.user.service;

import com.webook.user.domain.WechatInfo;

/**
 * A third-party login (SPEC §4.6): where to send the browser, and whom the code it brings back
 * belongs to. {@link WechatOAuth2Service} is the implementation; the interface is the seam the gRPC
 * layer's tests use.
 */
public interface OAuth2Service {
  /** The provider's authorization page URL, carrying the caller's anti-CSRF {@code state}. */
  String authUrl(String state);

  /**
   * Exchanges the authorization code for the user's identity.
   *
   * @throws com.webook.platform.errors.InvalidInputException when the provider rejects the code
   * @throws com.webook.platform.errors.UnavailableException when the provider cannot be reached
   */
  WechatInfo verifyCode(String code);
}
