package com.webook.platform.job;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of a job this scheduler preempted: the {@link HeldJob} its executor sees, plus what the
 * scheduler needs to renew, end and interrupt it. Renewals and the end of the run synchronize on
 * this object, so no renewal is in flight while the run's end is written (it would find the new
 * version and report a loss that did not happen).
 */
final class JobRun implements HeldJob {
  private final JobRow row;
  private final long version;
  private final Thread thread;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private boolean ended; // guarded by this
  private ScheduledFuture<?> renewal; // guarded by this

  JobRun(JobRow row, long version, Thread thread) {
    this.row = row;
    this.version = version;
    this.thread = thread;
  }

  JobRow row() {
    return row;
  }

  long id() {
    return row.id();
  }

  CountDownLatch done() {
    return done;
  }

  @Override
  public String name() {
    return row.name();
  }

  @Override
  public String cfg() {
    return row.cfg();
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public Instant dueAt() {
    return Instant.ofEpochMilli(row.nextTime());
  }

  @Override
  public boolean held() {
    return !lost.get() && !closing.get();
  }

  /** Marks the row lost; true for the first caller only (so the loss is logged once). */
  boolean lose() {
    return lost.compareAndSet(false, true);
  }

  /** Whether a renewal found the row taken (no renewal is written after that). */
  boolean isLost() {
    return lost.get();
  }

  /**
   * The scheduler is closing: the executor should stop, the row will be released. Renewals go on
   * until the run ends, so nobody takes the row while the executor winds down.
   */
  void closing() {
    closing.set(true);
  }

  boolean isClosing() {
    return closing.get();
  }

  synchronized void renewal(ScheduledFuture<?> future) {
    this.renewal = future;
  }

  /** Whether renewals should still be written: not after the end, nor after a loss. */
  synchronized boolean renewing() {
    return !ended && !lost.get();
  }

  /** After a loss: no more renewal ticks. */
  synchronized void cancelRenewals() {
    if (renewal != null) {
      renewal.cancel(false);
    }
  }

  /** Interrupts the executor's thread, unless the run already ended (its end is being written). */
  synchronized void interruptUnlessEnded() {
    if (!ended) {
      thread.interrupt();
    }
  }

  /** No renewal runs, and no interrupt is sent, after this returns. */
  synchronized void end() {
    ended = true;
    if (renewal != null) {
      renewal.cancel(false);
    }
  }

  @Override
  public String toString() {
    return "job " + row.name() + " (version " + version + ")";
  }
}
