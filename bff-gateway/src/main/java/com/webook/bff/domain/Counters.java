package com.webook.bff.domain;

/**
 * An article's read, like and collect counters and whether the reader liked or collected it
 * (interactive-svc, SPEC §6).
 */
public record Counters(
    long readCnt, long likeCnt, long collectCnt, boolean liked, boolean collected) {
  /** What a reader sees when the counters cannot be had: zeros, nothing liked or collected. */
  public static final Counters NONE = new Counters(0, 0, 0, false, false);
}
