package com.webook.article.domain;

import java.time.Instant;

/**
 * One article as stored, in the author's table or the readers' table (SPEC §5.1). {@code content}
 * is sanitized HTML; {@code abstractText} its first 100 characters of text. {@code utime} only ever
 * grows for one article (every write sets it to at least the previous value + 1 ms), so it doubles
 * as the article's version.
 */
public record Article(
    long id,
    String title,
    String content,
    String abstractText,
    long authorId,
    ArticleStatus status,
    Instant ctime,
    Instant utime) {

  /** What a list shows of it: everything but the content. */
  public ArticleSummary summary() {
    return new ArticleSummary(id, title, abstractText, authorId, status, ctime, utime);
  }
}
