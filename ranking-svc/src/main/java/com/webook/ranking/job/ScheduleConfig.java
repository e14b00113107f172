package com.webook.ranking.job;

import com.webook.platform.config.Check;
import com.webook.platform.job.JobDefinition;
import com.webook.platform.job.JobSchedulerConfig;

/**
 * When and by whom the list is computed (config key {@code schedule}, SPEC §7.2; README
 * "Scheduling").
 *
 * @param job the job's row name in {@code jobs}
 * @param cron when it runs (Quartz syntax with seconds, e.g. {@code 0 0/3 * * * ?}: every 3 min)
 * @param jobs the job table's polling and renewal
 * @param leadership the load-aware leader lock; only the leader takes the job
 */
public record ScheduleConfig(
    String job, String cron, JobSchedulerConfig jobs, LeadershipConfig leadership) {
  /** The executor name the ranking job's row carries. */
  public static final String EXECUTOR = "ranking-topn";

  public ScheduleConfig {
    Check.notBlank("job", job);
    Check.notBlank("cron", cron);
    Check.notNull("jobs", jobs);
    Check.notNull("leadership", leadership);
  }

  public JobDefinition definition() {
    return new JobDefinition(job, EXECUTOR, cron, "{}");
  }
}
