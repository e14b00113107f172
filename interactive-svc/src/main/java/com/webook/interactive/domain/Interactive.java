package com.webook.interactive.domain;

/**
 * What {@code Get} answers: an item's counters and whether one user liked and collected it.
 *
 * @param liked false for the anonymous user (uid 0)
 */
public record Interactive(
    String biz, long bizId, Counts counts, boolean liked, boolean collected) {}
