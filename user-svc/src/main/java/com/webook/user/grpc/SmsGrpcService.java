package com.webook.user.grpc;

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
 * RESOURCE_EXHAUSTED (only without sync-to-async); neither sent nor queued → UNAVAILABLE.
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
    sms.send(request.getTplId(), request.getArgsList(), request.getNumbersList());
    response.onNext(SendResponse.getDefaultInstance());
    response.onCompleted();
  }

  private static void validate(SendRequest r) {
    if (r.getTplId().isBlank() || r.getTplId().length() > MAX_TPL_ID) {
      throw new InvalidInputException("tplId must be 1.." + MAX_TPL_ID + " characters");
    }
    if (r.getNumbersCount() < 1 || r.getNumbersCount() > MAX_NUMBERS) {
      throw new InvalidInputException("numbers must hold 1.." + MAX_NUMBERS + " phone numbers");
    }
    for (String n : r.getNumbersList()) {
      if (!NUMBER.matcher(n).matches()) {
        throw new InvalidInputException("numbers must be digits with an optional leading +");
      }
    }
    if (r.getArgsCount() > MAX_ARGS) {
      throw new InvalidInputException("at most " + MAX_ARGS + " args");
    }
    for (String a : r.getArgsList()) {
      if (a.length() > MAX_ARG_LENGTH) {
        throw new InvalidInputException(
            "each arg must be at most " + MAX_ARG_LENGTH + " characters");
      }
    }
  }
}
