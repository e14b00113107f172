package com.webook.platform.server;

import com.webook.platform.errors.GrpcErrors;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets service implementations simply throw: maps whatever a handler throws to a status with {@link
 * GrpcErrors} and closes the call once. Server faults are logged with their stack trace here, and
 * only a fixed message goes on the wire.
 */
public final class ExceptionMappingInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(ExceptionMappingInterceptor.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OnceClosingCall<Q, R> once = new OnceClosingCall<>(call);
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(once, headers);
    } catch (RuntimeException e) {
      fail(once, e);
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException e) {
          fail(once, e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException e) {
          fail(once, e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException e) {
          fail(once, e);
        }
      }
    };
  }

  private static void fail(OnceClosingCall<?, ?> call, RuntimeException e) {
    Status status = GrpcErrors.toStatus(e);
    if (GrpcErrors.isServerFault(status)) {
      log.error("{} failed", call.getMethodDescriptor().getFullMethodName(), e);
    } else {
      log.debug(
          "{} answered {}: {}",
          call.getMethodDescriptor().getFullMethodName(),
          status.getCode(),
          status.getDescription());
    }
    call.close(status, new Metadata());
  }

  /** Guards against a second close (the handler may have closed before throwing). */
  private static final class OnceClosingCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private final AtomicBoolean closed = new AtomicBoolean();

    OnceClosingCall(ServerCall<Q, R> delegate) {
      super(delegate);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (closed.compareAndSet(false, true)) {
        super.close(status, trailers);
      }
    }
  }
}
