package com.webook.platform.job;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * How a {@link JobScheduler} polls and holds jobs (SPEC §7.2).
 *
 * @param pollInterval how often the background loop looks for due jobs ({@link
 *     JobScheduler#start()}); a due job starts at most this late plus the query time
 * @param renewInterval how often the holder of a running job writes its heartbeat ({@code utime});
 *     a row not renewed for {@link #staleAfter()} is taken over by another instance
 */
public record JobSchedulerConfig(Duration pollInterval, Duration renewInterval) {
  /** Poll every second, renew every 10 s (SPEC §7.2), so a dead holder is replaced after 30 s. */
  public static final JobSchedulerConfig DEFAULTS =
      new JobSchedulerConfig(Duration.ofSeconds(1), Duration.ofSeconds(10));

  public JobSchedulerConfig {
    Check.positive("pollInterval", pollInterval);
    Check.positive("renewInterval", renewInterval);
    if (renewInterval.toMillis() < 1) {
      // utime has millisecond resolution: a renewal must be able to move it.
      throw new IllegalArgumentException(
          "renewInterval: must be at least 1ms (was " + renewInterval + ")");
    }
  }

  /**
   * How old a running row's heartbeat must be before another instance may take it over: three
   * renewals missed, so one slow renewal (a GC pause, a slow query) does not cost the holder its
   * job.
   */
  public Duration staleAfter() {
    return renewInterval.multipliedBy(3);
  }
}
