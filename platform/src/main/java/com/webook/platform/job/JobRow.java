package com.webook.platform.job;

/** One row of the {@code jobs} table as read (times in epoch ms). */
record JobRow(
    long id,
    String name,
    String executor,
    String cfg,
    String expression,
    long version,
    long nextTime,
    int status,
    long utime) {
  static final int WAITING = 0;
  static final int RUNNING = 1;
  static final int PAUSED = 2;

  /** Whether the row already says what {@code def} says (so {@code define} changes nothing). */
  boolean matches(JobDefinition def) {
    return executor.equals(def.executor())
        && cfg.equals(def.cfg())
        && expression.equals(def.expression());
  }
}
