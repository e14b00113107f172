package com.webook.bff;

import com.webook.platform.routing.RouteGroup;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a fake service does besides its fake business: records every call (method, request, route
 * group, deadline), and on demand fails a method with a status, delays its answers, or holds them
 * until a gate opens (never, if the gate never completes: the call then ends by its deadline or
 * cancellation). Answers are sent from a timer thread, never by sleeping in the handler, so a
 * delayed or held call does not hold the caller's thread either (the fakes run on a direct
 * executor). Thread-safe.
 */
final class ScriptedCalls implements AutoCloseable {
  /** One call as the fake received it. */
  record Call(String method, Object request, String routeGroup, Deadline deadline) {}

  /**
   * A call the caller gave up on before it was answered: cancelled by the caller if its deadline
   * had not passed yet, else ended by the deadline.
   */
  record Cancel(String method, boolean deadlinePassed) {}

  private final Map<String, Status> failures = new ConcurrentHashMap<>();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<?>> gates = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> firstCalls = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final List<Cancel> cancels = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("fake-answers").unstarted(r));

  /** From now on {@code method} fails with {@code status}. */
  void failWith(String method, Status status) {
    failures.put(method, status);
  }

  /** From now on {@code method} answers after {@code delay}. */
  void delay(String method, Duration delay) {
    delays.put(method, delay);
  }

  /** From now on {@code method} answers only once {@code gate} completes. */
  void holdUntil(String method, CompletableFuture<?> gate) {
    gates.put(method, gate);
  }

  /** From now on {@code method} never answers: its calls end by deadline or cancellation. */
  void hold(String method) {
    holdUntil(method, new CompletableFuture<>());
  }

  /** Back to normal answers (the calls recorded so far are kept). */
  void heal() {
    failures.clear();
    delays.clear();
    gates.clear();
  }

  /** Completes when the first call of {@code method} from now on arrives. */
  CompletableFuture<Void> nextCall(String method) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    firstCalls.put(method, f);
    return f;
  }

  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  List<Cancel> cancels(String method) {
    return cancels.stream().filter(c -> c.method().equals(method)).toList();
  }

  <T> List<T> requests(Class<T> type) {
    return calls.stream().map(Call::request).filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * Answers one call of {@code method}: records it, then fails, delays, holds or answers with
   * {@code body} (which may throw a {@link StatusRuntimeException}) as scripted.
   */
  @SuppressWarnings("FutureReturnValueIgnored") // a scheduled answer has no result to look at
  <T> void answer(String method, Object request, StreamObserver<T> out, Supplier<T> body) {
    Deadline deadline = Context.current().getDeadline();
    calls.add(new Call(method, request, RouteGroup.current(), deadline));
    if (out instanceof ServerCallStreamObserver<T> s) {
      s.setOnCancelHandler(
          () -> cancels.add(new Cancel(method, deadline != null && deadline.isExpired())));
    }
    CompletableFuture<Void> first = firstCalls.remove(method);
    if (first != null) {
      first.complete(null);
    }
    Runnable reply =
        () -> {
          if (out instanceof ServerCallStreamObserver<T> s && s.isCancelled()) {
            return; // the caller gave up (deadline, cancel): nothing to answer
          }
          Status failure = failures.get(method);
          if (failure != null) {
            out.onError(failure.asRuntimeException());
            return;
          }
          T value;
          try {
            value = body.get();
          } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
          }
          out.onNext(value);
          out.onCompleted();
        };
    Runnable safeReply =
        () -> {
          try {
            reply.run();
          } catch (RuntimeException e) { // cancelled between the check and the answer
          }
        };
    Duration delay = delays.get(method);
    CompletableFuture<?> gate = gates.get(method);
    if (gate != null) {
      gate.whenComplete((v, e) -> timer.execute(safeReply));
    } else if (delay != null) {
      timer.schedule(safeReply, delay.toNanos(), TimeUnit.NANOSECONDS);
    } else {
      reply.run();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
