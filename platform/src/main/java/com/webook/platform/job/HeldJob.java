package com.webook.platform.job;

import java.time.Instant;

/**
 * The job a {@link JobExecutor} runs, as this scheduler holds it. Thread-safe: {@link #held()} may
 * be read from any thread the executor uses.
 */
public interface HeldJob {
  /** The job's unique name. */
  String name();

  /** The job's configuration as stored when it was preempted. */
  String cfg();

  /** The row version this run holds (the fencing token: any other holder has a higher one). */
  long version();

  /** The fire time this run is for ({@code next_time} when it was preempted). */
  Instant dueAt();

  /**
   * False once this scheduler lost the row (a renewal or completion CAS failed, or the scheduler is
   * closing). A long executor should check it between steps and stop when it turns false: another
   * instance may already be running the job.
   */
  boolean held();
}
