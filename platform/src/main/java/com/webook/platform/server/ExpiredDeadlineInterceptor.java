package com.webook.platform.server;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Rejects calls whose deadline has already passed before doing any work (SPEC §9). The deadline
 * itself travels on: grpc-java propagates the inbound {@link Context} deadline to every outgoing
 * call made while handling this one.
 */
public final class ExpiredDeadlineInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Deadline deadline = Context.current().getDeadline();
    if (deadline != null && deadline.isExpired()) {
      call.close(
          Status.DEADLINE_EXCEEDED.withDescription("deadline expired before the server started"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
