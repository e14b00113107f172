package com.webook.ranking.domain;

/** An article's counters (interactive-svc) at the time the list was computed. */
public record Counts(long reads, long likes, long collects) {}
