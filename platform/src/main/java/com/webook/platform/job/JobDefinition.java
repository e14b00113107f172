package com.webook.platform.job;

import java.nio.charset.StandardCharsets;

/**
 * What a job is: the row {@link JobScheduler#define} keeps in the {@code jobs} table.
 *
 * @param name unique across all instances (the table's unique key); 1..128 characters
 * @param executor the key of the {@link JobExecutor} that runs it; only instances that have one
 *     under this key ever preempt the job; 1..128 characters
 * @param expression when it runs: a {@link CronSchedule} (Quartz syntax with seconds, e.g. {@code 0
 *     *}{@code /3 * * * ?}); parsed here, so a bad expression fails where it is configured
 * @param cfg free-form configuration handed to the executor ({@link HeldJob#cfg()}); {@code null}
 *     is stored as {@code ""}; at most 65 535 bytes in UTF-8 (a MariaDB {@code TEXT})
 */
public record JobDefinition(String name, String executor, String expression, String cfg) {
  static final int MAX_NAME_CHARS = 128;
  static final int MAX_CFG_BYTES = 65_535;

  public JobDefinition {
    name = bounded("name", name);
    executor = bounded("executor", executor);
    expression = bounded("expression", expression);
    CronSchedule.parse(expression);
    cfg = cfg == null ? "" : cfg;
    int bytes = cfg.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_CFG_BYTES) {
      throw new IllegalArgumentException(
          "job " + name + ": cfg must be at most " + MAX_CFG_BYTES + " bytes (was " + bytes + ")");
    }
  }

  /** The parsed {@link #expression()}. */
  public CronSchedule schedule() {
    return CronSchedule.parse(expression);
  }

  private static String bounded(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("job " + key + ": must not be empty");
    }
    String trimmed = value.trim();
    // VARCHAR(128) counts characters (code points), not UTF-16 units.
    int chars = trimmed.codePointCount(0, trimmed.length());
    if (chars > MAX_NAME_CHARS) {
      throw new IllegalArgumentException(
          "job " + key + ": must be at most " + MAX_NAME_CHARS + " characters (was " + chars + ")");
    }
    return trimmed;
  }
}
