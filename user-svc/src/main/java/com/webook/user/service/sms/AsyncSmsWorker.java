package com.webook.user.service.sms;

import com.webook.user.config.SmsConfig;
import com.webook.user.domain.AsyncSms;
import com.webook.user.domain.CallerDeadline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the requests stored by {@link AsyncFallbackSmsSender} (SPEC §4.5 point 4). Every {@code
 * pollInterval} it
 *
 * <ol>
 *   <li>takes back rows left in SENDING for longer than {@code reclaimAfter} (their process died
 *       between claim and mark),
 *   <li>reads up to {@code batchSize} due WAITING rows and, one at a time, claims each with a
 *       conditional update (another instance's worker may be first: then it skips the row), sends
 *       it through the provider stack (never back into the async path), and marks it:
 *       <ul>
 *         <li>sent → SENT;
 *         <li>failed or timed out → WAITING again after {@code initialBackoff × 2^(attempts-1)}
 *             (capped at {@code maxBackoff}), or FAILED once {@code max_retry} attempts failed;
 *         <li>rate limited → WAITING again after {@code initialBackoff}, without using up an
 *             attempt (the queue exists to absorb bursts above the limit), and the batch ends;
 *         <li>cancelled (the process is stopping) → WAITING again, due at once.
 *       </ul>
 *       After a failure the batch also ends while the providers are judged down: one probe per poll
 *       is enough, the rest wait.
 * </ol>
 *
 * A full batch is followed by the next one at once. Nothing is sent inside a transaction: claim and
 * mark are single autocommitted updates around the network call. Runs on a single-threaded
 * scheduler owned by the composition root, which stops it ({@link #close()} then the executor's
 * shutdown). Every poll failure (e.g. the database is down) is logged and counted; the next poll
 * tries again. Meters {@code sms.async.worker{result}} and {@code sms.async.worker.errors}.
 */
public final class AsyncSmsWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AsyncSmsWorker.class);

  private final AsyncSmsRepository repository;
  private final SmsSender providers;
  private final ProviderDownDetector detector;
  private final SmsConfig.Async config;
  private final Clock clock;
  private final Counter sent;
  private final Counter retried;
  private final Counter failed;
  private final Counter deferred;
  private final Counter reclaimed;
  private final Counter errors;
  private volatile boolean stopping;
  private ScheduledFuture<?> task;

  public AsyncSmsWorker(
      AsyncSmsRepository repository,
      SmsSender providers,
      ProviderDownDetector detector,
      SmsConfig.Async config,
      Clock clock,
      MeterRegistry registry) {
    this.repository = repository;
    this.providers = providers;
    this.detector = detector;
    this.config = config;
    this.clock = clock;
    this.sent = result(registry, "sent");
    this.retried = result(registry, "retried");
    this.failed = result(registry, "failed");
    this.deferred = result(registry, "deferred");
    this.reclaimed = result(registry, "reclaimed");
    this.errors =
        Counter.builder("sms.async.worker.errors")
            .description("async SMS polls that failed")
            .register(registry);
  }

  private static Counter result(MeterRegistry registry, String result) {
    return Counter.builder("sms.async.worker")
        .description("async SMS rows handled by the worker, by result")
        .tag("result", result)
        .register(registry);
  }

  /** Starts polling on {@code scheduler} (owned and shut down by the caller). */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (task != null) {
      throw new IllegalStateException("already started");
    }
    long every = config.pollInterval().toMillis();
    task = scheduler.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    log.info(
        "async SMS worker polling every {} ms (batch {}, max {} attempts, reclaim after {} ms)",
        every,
        config.batchSize(),
        config.maxRetry(),
        config.reclaimAfter().toMillis());
  }

  /** One poll: reclaim, then batches until one is not full. Never throws. */
  void poll() {
    try {
      int reclaimedNow =
          repository.reclaimStuck(
              clock.millis() - config.reclaimAfter().toMillis(), clock.millis());
      if (reclaimedNow > 0) {
        reclaimed.increment(reclaimedNow);
        log.warn(
            "took back {} async SMS row(s) left in 'sending' by a process that died", reclaimedNow);
      }
      while (!stopping && runBatch()) {
        // a full batch was handled without a reason to pause: there may be more
      }
    } catch (RuntimeException e) {
      errors.increment();
      log.warn("async SMS poll failed; retrying in {} ms", config.pollInterval().toMillis(), e);
    }
  }

  /** Handles one batch; true when it was full and nothing asked to pause. */
  boolean runBatch() {
    List<AsyncSms> due = repository.findDue(clock.millis(), config.batchSize());
    for (AsyncSms row : due) {
      if (stopping || !handle(row)) {
        return false;
      }
    }
    return due.size() == config.batchSize();
  }

  /** Claims and sends one row; false when the batch should stop. */
  private boolean handle(AsyncSms row) {
    long claimedAt = clock.millis();
    if (!repository.claim(row.id(), claimedAt)) {
      return true;
    }
    try {
      // Nobody waits for a queued message: no caller deadline, only the provider timeouts.
      providers.send(
          row.message().tplId(),
          row.message().args(),
          row.message().numbers(),
          CallerDeadline.NONE);
    } catch (SmsException e) {
      return afterFailure(row, claimedAt, e);
    } catch (RuntimeException e) {
      return afterFailure(
          row, claimedAt, new SmsException(SmsException.Reason.FAILED, e.toString(), e));
    }
    if (repository.markSent(row.id(), claimedAt, clock.millis())) {
      sent.increment();
    } else {
      log.warn(
          "async SMS {} was sent, but another worker took it back meanwhile (reclaimAfter too short?); "
              + "it may be sent twice",
          row.id());
    }
    return true;
  }

  private boolean afterFailure(AsyncSms row, long claimedAt, SmsException e) {
    long now = clock.millis();
    switch (e.reason()) {
      case RATE_LIMITED -> {
        repository.reschedule(
            row.id(), claimedAt, row.retryCnt(), now + config.initialBackoff().toMillis(), now);
        deferred.increment();
        return false;
      }
      case CANCELLED -> {
        repository.reschedule(row.id(), claimedAt, row.retryCnt(), now, now);
        return false;
      }
      default -> {
        int attempts = row.retryCnt() + 1;
        if (attempts >= row.maxRetry()) {
          repository.markFailed(row.id(), claimedAt, attempts, now);
          failed.increment();
          log.warn(
              "async SMS {} failed {} time(s), giving up: {}", row.id(), attempts, e.getMessage());
        } else {
          long delay = backoff(attempts, config.initialBackoff(), config.maxBackoff()).toMillis();
          repository.reschedule(row.id(), claimedAt, attempts, now + delay, now);
          retried.increment();
          log.debug(
              "async SMS {} attempt {} failed, next in {} ms: {}",
              row.id(),
              attempts,
              delay,
              e.getMessage());
        }
        return !detector.isDown();
      }
    }
  }

  /** {@code initial × 2^(attempts-1)}, capped at {@code max}. */
  static Duration backoff(int attempts, Duration initial, Duration max) {
    int doublings = Math.min(Math.max(attempts - 1, 0), 40);
    long millis = initial.toMillis();
    for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, max.toMillis()));
  }

  /**
   * Stops taking rows: a batch in progress ends after its current send. The owner then shuts the
   * scheduler down and waits for it ({@code sms.async.stopTimeout}).
   */
  @Override
  public synchronized void close() {
    stopping = true;
    if (task != null) {
      task.cancel(false);
    }
  }
}
