package com.webook.bff.domain;

/**
 * What an author sends to save or publish.
 *
 * @param id the article to update, or 0 to create one
 * @param authorId the logged-in user: article-svc updates only that author's article
 */
public record ArticleDraft(long id, long authorId, String title, String content) {}
