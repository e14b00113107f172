package com.webook.article.domain;

/** SPEC §5.3: user {@code uid} (0: anonymous) read article {@code aid}. */
public record ReadEvent(long uid, long aid) {}
