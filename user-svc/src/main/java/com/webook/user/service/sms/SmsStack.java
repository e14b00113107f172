package com.webook.user.service.sms;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMS stack built by {@link SmsStackFactory}.
 *
 * @param sender what callers send through (sync-to-async on top when enabled)
 * @param providers the provider stack below sync-to-async (what the worker sends through)
 * @param detector the down-detector, or null without sync-to-async
 * @param worker the async worker, or null without sync-to-async
 * @param closeables provider resources (HTTP clients) released by {@link #close()}
 */
public record SmsStack(
    SmsSender sender,
    SmsSender providers,
    ProviderDownDetector detector,
    AsyncSmsWorker worker,
    List<AutoCloseable> closeables)
    implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmsStack.class);

  public SmsStack {
    closeables = List.copyOf(closeables);
  }

  /** Starts the worker (if any) on {@code scheduler}, which the caller owns and shuts down. */
  public void start(ScheduledExecutorService scheduler) {
    if (worker != null) {
      worker.start(scheduler);
    }
  }

  /**
   * Stops the worker from taking rows; its send in progress finishes. The owner then shuts its
   * scheduler down and waits for it, and only then {@link #close() closes} the stack.
   */
  public void stopWorker() {
    if (worker != null) {
      worker.close();
    }
  }

  /** Stops the worker (if not done yet) and releases provider resources (HTTP clients). */
  @Override
  public void close() {
    stopWorker();
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {} failed", c, e);
      }
    }
  }
}
