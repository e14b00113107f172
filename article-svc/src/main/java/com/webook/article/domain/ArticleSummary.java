package com.webook.article.domain;

import java.time.Instant;

/** An article in a list: everything but the content (lists show the abstract). */
public record ArticleSummary(
    long id,
    String title,
    String abstractText,
    long authorId,
    ArticleStatus status,
    Instant ctime,
    Instant utime) {}
