package com.webook.user.grpc;

import static com.webook.platform.grpc.RequestChecks.maxChars;
import static com.webook.platform.grpc.RequestChecks.notEmpty;

import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.oauth2.v1.AuthURLResponse;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.oauth2.v1.VerifyCodeRequest;
import com.webook.api.oauth2.v1.VerifyCodeResponse;
import com.webook.user.domain.WechatInfo;
import com.webook.user.service.OAuth2Service;
import io.grpc.stub.StreamObserver;

/**
 * {@code oauth2.v1.Oauth2Service} over WeChat: validates, maps, and calls {@link OAuth2Service}.
 * Failures are thrown as domain exceptions (INVALID_ARGUMENT for a rejected code, UNAVAILABLE when
 * WeChat cannot be reached).
 */
public final class Oauth2GrpcService extends Oauth2ServiceGrpc.Oauth2ServiceImplBase {
  static final int STATE_MAX = 128;

  /** WeChat codes are ~32 characters; the bound only keeps junk out of the outgoing URL. */
  static final int CODE_MAX = 512;

  private final OAuth2Service oauth2;

  public Oauth2GrpcService(OAuth2Service oauth2) {
    this.oauth2 = oauth2;
  }

  @Override
  public void authURL(AuthURLRequest request, StreamObserver<AuthURLResponse> out) {
    String state = maxChars("state", notEmpty("state", request.getState()), STATE_MAX);
    out.onNext(AuthURLResponse.newBuilder().setUrl(oauth2.authUrl(state)).build());
    out.onCompleted();
  }

  @Override
  public void verifyCode(VerifyCodeRequest request, StreamObserver<VerifyCodeResponse> out) {
    String code = maxChars("code", notEmpty("code", request.getCode()), CODE_MAX);
    WechatInfo info = oauth2.verifyCode(code);
    out.onNext(
        VerifyCodeResponse.newBuilder()
            .setOpenId(info.openId())
            .setUnionId(info.unionId())
            .build());
    out.onCompleted();
  }
}
