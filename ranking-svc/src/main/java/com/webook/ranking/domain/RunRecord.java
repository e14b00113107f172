package com.webook.ranking.domain;

import java.time.Instant;

/**
 * One computation of the hot list, as recorded in {@code ranking_runs}.
 *
 * @param jobVersion the job row's version the run held (runs of one period share none)
 * @param due the fire time the run was for (one run per fire time)
 * @param scanned articles within the window looked at
 * @param listed articles in the resulting list
 */
public record RunRecord(
    String instance,
    long jobVersion,
    Instant due,
    Instant started,
    Instant finished,
    Outcome outcome,
    long scanned,
    int listed,
    String detail) {
  public RunRecord {
    detail = detail.length() > 512 ? detail.substring(0, 512) : detail;
  }

  /** How a run ended; see V2__ranking_runs.sql. */
  public enum Outcome {
    PUBLISHED,
    FENCED,
    LOCAL_ONLY,
    FAILED,
    LOST;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Outcome of(String code) {
      return valueOf(code.toUpperCase(java.util.Locale.ROOT));
    }
  }
}
