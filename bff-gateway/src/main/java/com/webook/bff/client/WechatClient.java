package com.webook.bff.client;

import com.webook.api.oauth2.v1.AuthURLRequest;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.oauth2.v1.VerifyCodeRequest;
import com.webook.bff.domain.WechatIdentity;
import com.webook.platform.grpc.DownstreamCalls;
import io.grpc.Channel;

/** user-svc's {@code oauth2.v1.Oauth2Service} (WeChat login, SPEC §4.6). Thread-safe. */
public final class WechatClient {
  private final Oauth2ServiceGrpc.Oauth2ServiceBlockingStub stub;

  public WechatClient(Channel channel) {
    this.stub = Oauth2ServiceGrpc.newBlockingStub(channel);
  }

  /** The WeChat URL the browser is sent to, carrying {@code state}. */
  public String authUrl(String state) {
    return DownstreamCalls.call(
            "oauth2.AuthURL",
            () -> stub.authURL(AuthURLRequest.newBuilder().setState(state).build()))
        .getUrl();
  }

  /** InvalidInputException: WeChat rejected the code. */
  public WechatIdentity verifyCode(String code) {
    var r =
        DownstreamCalls.call(
            "oauth2.VerifyCode",
            () -> stub.verifyCode(VerifyCodeRequest.newBuilder().setCode(code).build()));
    return new WechatIdentity(r.getOpenId(), r.getUnionId());
  }
}
