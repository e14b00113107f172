package com.webook.article.domain;

/**
 * The reader view (SPEC §5.3): a published article with its author's display name. The name is
 * empty when user-svc could not tell it (a degraded view, never cached).
 */
public record PublishedArticle(Article article, String authorName) {}
