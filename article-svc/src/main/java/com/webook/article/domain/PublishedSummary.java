package com.webook.article.domain;

/** A published article in a list (SPEC §5.4), with its author's name ("" when unknown). */
public record PublishedSummary(ArticleSummary article, String authorName) {}
