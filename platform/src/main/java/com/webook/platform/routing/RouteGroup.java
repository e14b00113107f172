package com.webook.platform.routing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Group routing across hops (SPEC §8.3): the HTTP header {@code x-route-group} becomes the gRPC
 * metadata of the same name on every downstream call made while handling the request, and a service
 * that receives it passes it on to its own downstream calls. The balancer then prefers endpoints
 * registered in that group. Values that are not short identifiers are ignored.
 */
public final class RouteGroup {
  public static final String NAME = "x-route-group";
  public static final Metadata.Key<String> HEADER =
      Metadata.Key.of(NAME, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<String> CURRENT = Context.key("webook.route-group");
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private RouteGroup() {}

  /** Runs {@code body} with {@code group} as the route group of every gRPC call it makes. */
  public static <T> T callIn(String group, Callable<T> body) throws Exception {
    if (group == null || !VALID.matcher(group).matches()) {
      return body.call();
    }
    return Context.current().withValue(CURRENT, group).call(body);
  }

  /** The group of the call being handled on this thread, or null. */
  public static String current() {
    return CURRENT.get();
  }

  /** Client side: sends the current group as metadata. {@link GrpcChannels} installs it. */
  public static ClientInterceptor propagator() {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String group = CURRENT.get();
        ClientCall<Q, R> call = next.newCall(method, options);
        if (group == null) {
          return call;
        }
        return new SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            if (!headers.containsKey(HEADER)) {
              headers.put(HEADER, group);
            }
            super.start(listener, headers);
          }
        };
      }
    };
  }

  /**
   * Server side: makes an inbound group current for the handler. {@code GrpcServer} installs it.
   */
  public static ServerInterceptor receiver() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String group = headers.get(HEADER);
        if (group == null || !VALID.matcher(group).matches()) {
          return next.startCall(call, headers);
        }
        return Contexts.interceptCall(
            Context.current().withValue(CURRENT, group), call, headers, next);
      }
    };
  }
}
