package com.webook.platform.client;

import com.webook.platform.db.TransactionTracker;
import com.webook.platform.logging.LogThrottle;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices a call to another service made while the calling thread holds a database transaction open
 * — what ARCHITECTURE.md forbids: the callee cannot see the uncommitted rows, and the transaction
 * and its row locks are held across the network for as long as the call takes. The call still goes
 * out (refusing it would turn a design mistake into an outage); it is counted in {@code
 * webook_db_remote_calls_in_transaction_total{grpc_service,method}} and logged at WARN (at most
 * once per 10 s), so tests can assert the count stays 0 and an alert can fire in production. The
 * host puts it on every channel of a process that has a database. Thread-safe.
 */
public final class RemoteCallInTransactionInterceptor implements ClientInterceptor {
  private static final Logger log =
      LoggerFactory.getLogger(RemoteCallInTransactionInterceptor.class);

  private final TransactionTracker transactions;
  private final MeterRegistry metrics;
  private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

  public RemoteCallInTransactionInterceptor(
      TransactionTracker transactions, MeterRegistry metrics) {
    this.transactions = transactions;
    this.metrics = metrics;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    // interceptCall runs on the thread that makes the call, the one that would hold the
    // transaction; the check is one thread-local read.
    if (transactions.inTransaction()) {
      Counter.builder("webook.db.remote.calls.in.transaction")
          .description("calls to other services made inside a database transaction (a bug: 0)")
          .tag("grpc_service", String.valueOf(method.getServiceName()))
          .tag("method", String.valueOf(method.getBareMethodName()))
          .register(metrics)
          .increment();
      if (warnings.allow()) {
        log.warn(
            "{} called inside a database transaction: move the call before or after it",
            method.getFullMethodName(),
            new IllegalStateException("call site"));
      }
    }
    return next.newCall(method, options);
  }
}
