package com.webook.platform.job;

/**
 * Runs one kind of job ({@link JobDefinition#executor()}). Called on the scheduler's polling thread
 * (or the caller of {@link JobScheduler#pollOnce()}), one run at a time per scheduler. An exception
 * (or an {@code Error} other than a {@code VirtualMachineError}) ends the run as {@code failed}:
 * the job is scheduled for its next fire time like a completed one (no retry before then).
 * Interrupted when the scheduler closes.
 */
@FunctionalInterface
public interface JobExecutor {
  void run(HeldJob job) throws Exception;
}
