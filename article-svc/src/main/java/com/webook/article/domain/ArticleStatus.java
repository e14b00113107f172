package com.webook.article.domain;

/** SPEC §5.1: an article's status, stored as its code. */
public enum ArticleStatus {
  UNKNOWN(0),
  /** A draft, saved but not published (or edited since publishing). */
  UNPUBLISHED(1),
  /** Visible to readers. */
  PUBLISHED(2),
  /** Withdrawn by its author: readers no longer see it. */
  PRIVATE(3);

  private final int code;

  ArticleStatus(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The status of a stored code; codes this version does not know are {@link #UNKNOWN}. */
  public static ArticleStatus of(int code) {
    return switch (code) {
      case 1 -> UNPUBLISHED;
      case 2 -> PUBLISHED;
      case 3 -> PRIVATE;
      default -> UNKNOWN;
    };
  }
}
