package com.webook.platform.client;

import com.webook.platform.config.GrpcClientConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Gives every call a deadline (SPEC §8.4): the caller's own, else the inbound call's (grpc-java
 * propagates the Context deadline; the earlier of the two wins), else the configured one for the
 * method, else the service default. A call without a deadline can hang forever on a dead peer.
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
      var inbound = Context.current().getDeadline();
      if (inbound == null || inbound.timeRemaining(TimeUnit.NANOSECONDS) > d.toNanos()) {
        options = options.withDeadlineAfter(d.toNanos(), TimeUnit.NANOSECONDS);
      }
    }
    return next.newCall(method, options);
  }
}
