package com.webook.user.grpc;

import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.code.v1.SendRequest;
import com.webook.api.code.v1.SendResponse;
import com.webook.api.code.v1.VerifyRequest;
import com.webook.api.code.v1.VerifyResponse;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.grpc.RequestChecks;
import com.webook.platform.validation.UserInputRules;
import com.webook.user.service.CodeService;
import io.grpc.stub.StreamObserver;

/**
 * {@code code.v1.CodeService}: validation and mapping only; errors are thrown as domain exceptions
 * and mapped once by the server. Contract (see the module README): Send: biz blank or over 128
 * chars, or phone not {@code ^1[3-9]\d{9}$} → INVALID_ARGUMENT; too frequent → RESOURCE_EXHAUSTED;
 * system error → INTERNAL; not deliverable and not queued → UNAVAILABLE; the SMS is sent within the
 * call's deadline. Verify: bad biz/phone → INVALID_ARGUMENT; otherwise {@code answer} only.
 */
public final class CodeGrpcService extends CodeServiceGrpc.CodeServiceImplBase {
  private final CodeService codes;

  public CodeGrpcService(CodeService codes) {
    this.codes = codes;
  }

  @Override
  public void send(SendRequest request, StreamObserver<SendResponse> response) {
    validate(request.getBiz(), request.getPhone());
    codes.send(request.getBiz(), request.getPhone(), GrpcCallerDeadline.current());
    response.onNext(SendResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void verify(VerifyRequest request, StreamObserver<VerifyResponse> response) {
    validate(request.getBiz(), request.getPhone());
    boolean answer = codes.verify(request.getBiz(), request.getPhone(), request.getInputCode());
    response.onNext(VerifyResponse.newBuilder().setAnswer(answer).build());
    response.onCompleted();
  }

  private static void validate(String biz, String phone) {
    RequestChecks.biz(biz);
    if (!UserInputRules.isPhone(phone)) {
      throw new InvalidInputException(
          "phone must be a mainland China mobile number (11 digits, 1[3-9]…)");
    }
  }
}
