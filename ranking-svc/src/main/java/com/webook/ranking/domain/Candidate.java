package com.webook.ranking.domain;

import java.time.Instant;

/**
 * A published article as the hot list's computation pages through it (article-svc's {@code
 * ListPub}): no content, only what the list shows.
 */
public record Candidate(
    long id, String title, String abstractText, long authorId, String authorName, Instant utime) {}
