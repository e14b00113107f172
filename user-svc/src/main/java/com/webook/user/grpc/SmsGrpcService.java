package com.webook.user.grpc;

import static com.webook.platform.grpc.RequestChecks.itemCount;
import static com.webook.platform.grpc.RequestChecks.maxChars;
import static com.webook.platform.grpc.RequestChecks.nonBlank;

import com.webook.api.sms.v1.SendRequest;
import com.webook.api.sms.v1.SendResponse;
import com.webook.api.sms.v1.SmsServiceGrpc;
import com.webook.platform.errors.InvalidInputException;
import com.webook.user.service.SmsService;
import io.grpc.stub.StreamObserver;
import java.util.regex.Pattern;

/**
 * {@code sms.v1.SmsService}: validation and mapping only. A request needs a tplId (1..128 chars),
 * 1..100 numbers (each {@code +} and 5..20 digits) and at most 20 args (each at most 256 chars),
 * else INVALID_ARGUMENT. Success means sent or queued for later delivery; rate limited →
 * RESOURCE_EXHAUSTED (only without sync-to-async); neither sent nor queued → UNAVAILABLE. The
 * providers are tried within the call's deadline ({@link GrpcCallerDeadline}).
 */
public final class SmsGrpcService extends SmsServiceGrpc.SmsServiceImplBase {
  static final int MAX_TPL_ID = 128;
  static final int MAX_NUMBERS = 100;
  static final int MAX_ARGS = 20;
  static final int MAX_ARG_LENGTH = 256;
  static final Pattern NUMBER = Pattern.compile("^\\+?\\d{5,20}$");

  private final SmsService sms;

  public SmsGrpcService(SmsService sms) {
    this.sms = sms;
  }

  @Override
  public void send(SendRequest request, StreamObserver<SendResponse> response) {
    validate(request);
    sms.send(
        request.getTplId(),
        request.getArgsList(),
        request.getNumbersList(),
        GrpcCallerDeadline.current());
    response.onNext(SendResponse.getDefaultInstance());
    response.onCompleted();
  }

  private static void validate(SendRequest r) {
    maxChars("tplId", nonBlank("tplId", r.getTplId()), MAX_TPL_ID);
    itemCount("numbers", r.getNumbersList(), 1, MAX_NUMBERS);
    for (String n : r.getNumbersList()) {
      if (!NUMBER.matcher(n).matches()) {
        throw new InvalidInputException("numbers must be digits with an optional leading +");
      }
    }
    itemCount("args", r.getArgsList(), 0, MAX_ARGS);
    for (String a : r.getArgsList()) {
      maxChars("each arg", a, MAX_ARG_LENGTH);
    }
  }
}
