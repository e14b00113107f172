package com.webook.platform.client;

import com.webook.platform.config.GrpcClientConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call a deadline (SPEC §8.4): the caller's own, else the earlier of the inbound call's
 * (the gRPC Context's) and the configured one for the method (else the service default). A call
 * without a deadline can hang forever on a dead peer.
 *
 * <p>The deadline is always written into the call options, even when it is the inbound one that
 * gRPC would apply anyway: the balancer reads it there, per attempt, to recognise an attempt that a
 * retrying channel cancelled because the call ran out of time.
 */
final class DefaultDeadlineInterceptor implements ClientInterceptor {
  private final GrpcClientConfig config;

  DefaultDeadlineInterceptor(GrpcClientConfig config) {
    this.config = config;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (options.getDeadline() == null) {
      Duration d = config.methodDeadlines().get(method.getFullMethodName());
      if (d == null) {
        d = config.methodDeadlines().getOrDefault(method.getBareMethodName(), config.deadline());
      }
      Deadline configured = Deadline.after(d.toNanos(), TimeUnit.NANOSECONDS);
      Deadline inbound = Context.current().getDeadline();
      options = options.withDeadline(inbound == null ? configured : inbound.minimum(configured));
    }
    return next.newCall(method, options);
  }
}
