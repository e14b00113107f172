package com.webook.bff.domain;

/**
 * The author of an article.
 *
 * @param name the author's nickname (from user-svc, through article-svc); empty when unknown
 */
public record Author(long id, String name) {}
