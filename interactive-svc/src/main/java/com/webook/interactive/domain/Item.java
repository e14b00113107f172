package com.webook.interactive.domain;

/** What counters are kept for: a business tag ("article") and an id in it. */
public record Item(String biz, long bizId) {}
