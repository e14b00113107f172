package com.webook.bff.web;

import com.webook.platform.errors.ConflictException;
import com.webook.platform.errors.DownstreamException;
import com.webook.platform.errors.InvalidInputException;
import com.webook.platform.errors.NotFoundException;
import com.webook.platform.errors.PermissionDeniedException;
import com.webook.platform.errors.RateLimitedException;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers that went out degraded (SPEC §9: the reader view without counters when interactive-svc
 * fails): each one is counted in {@code bff_degraded_total{dependency,reason}}, and logged at most
 * once per {@code logInterval} and dependency, that line saying how many were not logged since the
 * last one. A dependency that is down degrades every request; one line per request would flood the
 * log exactly when it is read. Thread-safe.
 */
public final class Degradation {
  private static final Logger log = LoggerFactory.getLogger(Degradation.class);

  /** Why an answer was degraded: the BFF stopped waiting, or the call failed with a status. */
  public static final String TIMEOUT = "timeout";

  private final MeterRegistry metrics;
  private final Clock clock;
  private final long logIntervalMillis;
  private final Map<String, Throttle> throttles = new ConcurrentHashMap<>();

  /** Per dependency: when the next line may be logged, and how many were not since the last. */
  private static final class Throttle {
    final AtomicLong nextLineAt = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }

  /**
   * @param preRegistered dependency → reasons to register at zero, so dashboards and alerts see a
   *     series before the first degradation
   */
  public Degradation(
      MeterRegistry metrics,
      Clock clock,
      Duration logInterval,
      Map<String, List<String>> preRegistered) {
    this.metrics = metrics;
    this.clock = clock;
    this.logIntervalMillis = logInterval.toMillis();
    preRegistered.forEach((dependency, reasons) -> reasons.forEach(r -> counter(dependency, r)));
  }

  /**
   * One degraded answer.
   *
   * @param dependency what could not be had, e.g. {@code interactive}
   * @param reason a short, bounded tag: {@link #TIMEOUT} or a lower-case gRPC status code
   * @param requestId the request, for the log line
   * @param detail what failed (operation, status, description), for the log line only
   */
  public void record(String dependency, String reason, String requestId, String detail) {
    counter(dependency, reason).increment();
    Throttle t = throttles.computeIfAbsent(dependency, d -> new Throttle());
    long now = clock.millis();
    long next = t.nextLineAt.get();
    if (now >= next && t.nextLineAt.compareAndSet(next, now + logIntervalMillis)) {
      long others = t.suppressed.getAndSet(0);
      log.warn(
          "request {}: answered without {} ({}): {}; {} more degraded answers since the last line"
              + " (logged at most every {} ms, all counted in bff_degraded_total)",
          requestId,
          dependency,
          reason,
          detail,
          others,
          logIntervalMillis);
    } else {
      t.suppressed.incrementAndGet();
    }
  }

  /**
   * The {@code reason} tag of a failed call: the gRPC status in lower case ({@code unavailable},
   * {@code unimplemented} …), {@link #TIMEOUT} for DEADLINE_EXCEEDED (the same as the BFF's own
   * wait running out), {@code error} for anything that is not a call's status (a bug). A closed,
   * small set: statuses are an enum.
   */
  public static String reasonOf(Throwable failure) {
    return switch (failure) {
      case DownstreamException d when d.code() == Status.Code.DEADLINE_EXCEEDED -> TIMEOUT;
      case DownstreamException d -> d.code().name().toLowerCase(Locale.ROOT);
      case InvalidInputException e -> "invalid_argument";
      case NotFoundException e -> "not_found";
      case ConflictException e -> "already_exists";
      case PermissionDeniedException e -> "permission_denied";
      case RateLimitedException e -> "resource_exhausted";
      default -> "error";
    };
  }

  private Counter counter(String dependency, String reason) {
    return Counter.builder("bff.degraded")
        .description("answers sent without what a dependency failed to provide")
        .tag("dependency", dependency)
        .tag("reason", reason)
        .register(metrics);
  }
}
