package com.webook.platform.client;

import com.webook.platform.balancer.CallAttempts;
import com.webook.platform.config.GrpcClientConfig;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Set;

/**
 * Gives every call of an idempotent method (the ones the service config retries or hedges) its
 * {@link CallAttempts}, so the balancer sends each further attempt to another endpoint and can tell
 * a hedge lost by an endpoint that did not answer from a caller's cancel. Other calls pass
 * untouched. Stateless and thread-safe.
 */
final class CallAttemptsInterceptor implements ClientInterceptor {
  private final Set<String> idempotent;
  private final Duration hedgingDelay;

  CallAttemptsInterceptor(GrpcClientConfig config) {
    this.idempotent = Set.copyOf(config.idempotentMethods());
    this.hedgingDelay = config.hedgingDelay();
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    if (idempotent.contains(method.getFullMethodName())
        || idempotent.contains(method.getServiceName())) {
      options = options.withOption(CallAttempts.KEY, new CallAttempts(hedgingDelay));
    }
    return next.newCall(method, options);
  }
}
