package com.webook.platform.job;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A parsed cron expression in Quartz syntax, seconds first: {@code sec min hour day-of-month month
 * day-of-week [year]}, one of the two day fields {@code ?} — e.g. {@code 0 *}{@code /3 * * * ?}
 * (every 3 minutes) or {@code *}{@code /10 * * * * ?} (every 10 seconds). Parsing and the next-fire
 * computation are cron-utils'; this class only fixes the dialect (one syntax for every job, so
 * {@code 1} in the day-of-week field always means Sunday) and turns its errors into one {@link
 * IllegalArgumentException} that names the expression. Immutable and thread-safe.
 */
public final class CronSchedule {
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final String expression;
  private final ExecutionTime executionTime;

  private CronSchedule(String expression, Cron cron) {
    this.expression = expression;
    this.executionTime = ExecutionTime.forCron(cron);
  }

  /**
   * Parses {@code expression}.
   *
   * @throws IllegalArgumentException naming the expression and what is wrong with it
   */
  public static CronSchedule parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("cron expression: must not be empty");
    }
    String trimmed = expression.trim();
    Cron cron;
    try {
      // cron-utils' parser keeps no state between calls (its definition is immutable).
      cron = QUARTZ.parse(trimmed).validate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + trimmed
              + "': "
              + e.getMessage()
              + " (expected Quartz syntax with seconds: 'sec min hour day-of-month month"
              + " day-of-week [year]' with '?' in one day field, e.g. '0 */3 * * * ?')",
          e);
    }
    return new CronSchedule(trimmed, cron);
  }

  /** The expression as parsed (trimmed). */
  public String expression() {
    return expression;
  }

  /**
   * The first fire time strictly after {@code after}, in {@code zone}'s wall-clock time (it matters
   * for hours and days, and across daylight-saving changes); empty if the expression never fires
   * again (a year in the past).
   */
  public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
    // Cron has whole seconds; cron-utils carries the sub-second part of its input into the answer
    // for fields that match every second (10:00:00.500 -> 10:00:01.500 for "* * * * * ?"), so it
    // is asked from the whole second. Its answer is strictly after that second, so after `after`.
    Instant from = after.truncatedTo(ChronoUnit.SECONDS);
    // A guard against an answer that is not strictly later: a job must never run twice for one
    // fire time.
    for (int i = 0; i < 3; i++) {
      Optional<ZonedDateTime> next = executionTime.nextExecution(from.atZone(zone));
      if (next.isEmpty()) {
        return Optional.empty();
      }
      Instant candidate = next.get().toInstant().truncatedTo(ChronoUnit.SECONDS);
      if (candidate.isAfter(after)) {
        return Optional.of(candidate);
      }
      from = candidate.plusSeconds(1);
    }
    throw new IllegalStateException("cron '" + expression + "': no fire time after " + after);
  }

  @Override
  public String toString() {
    return expression;
  }
}
