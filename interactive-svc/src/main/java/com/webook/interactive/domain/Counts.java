package com.webook.interactive.domain;

/** One item's counters (SPEC §6.1 {@code interactives}): reads, likes, collects. Never negative. */
public record Counts(long readCnt, long likeCnt, long collectCnt) {
  public static final Counts ZERO = new Counts(0, 0, 0);
}
