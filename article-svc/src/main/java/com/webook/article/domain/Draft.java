package com.webook.article.domain;

/**
 * What an author sends to save or publish: {@code id} 0 creates a new article, any other id updates
 * that article if {@code authorId} wrote it. {@code content} is the editor's HTML as received (the
 * service sanitizes it).
 */
public record Draft(long id, long authorId, String title, String content) {
  public boolean isNew() {
    return id == 0;
  }
}
