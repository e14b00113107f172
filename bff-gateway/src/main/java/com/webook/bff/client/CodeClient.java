package com.webook.bff.client;

import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.VerifyRequest;
import com.webook.platform.grpc.DownstreamCalls;
import io.grpc.Channel;

/**
 * user-svc's {@code code.v1.CodeService}: one-time SMS codes per business ({@code biz}).
 * Thread-safe.
 */
public final class CodeClient {
  private final CodeServiceGrpc.CodeServiceBlockingStub stub;

  public CodeClient(Channel channel) {
    this.stub = CodeServiceGrpc.newBlockingStub(channel);
  }

  /** RateLimitedException: a code was sent to this phone less than a minute ago. */
  public void send(String biz, String phone) {
    DownstreamCalls.call(
        "code.Send", () -> stub.send(SendRequest.newBuilder().setBiz(biz).setPhone(phone).build()));
  }

  /** False for a wrong, expired or exhausted code alike. */
  public boolean verify(String biz, String phone, String code) {
    return DownstreamCalls.call(
            "code.Verify",
            () ->
                stub.verify(
                    VerifyRequest.newBuilder()
                        .setBiz(biz)
                        .setPhone(phone)
                        .setInputCode(code)
                        .build()))
        .getAnswer();
  }
}
