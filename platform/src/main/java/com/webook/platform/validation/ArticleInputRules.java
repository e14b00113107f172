package com.webook.platform.validation;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The one copy of the article input rules of SPEC §2.4 and §5.1: how long a title and a content may
 * be. The BFF ({@code web/ArticleHandler}) turns a broken rule into {@code {402001, …}};
 * article-svc ({@code grpc/ArticleGrpcService}) into INVALID_ARGUMENT, because gRPC callers other
 * than the BFF exist.
 *
 * <p>A title is counted in Unicode code points, as the {@code VARCHAR(1024)} column counts it. The
 * content limit is 1 MiB of UTF-8 — what the author typed, before sanitizing: the rich-text
 * editor's HTML is the user's input, and a limit on the stored, sanitized form would reject or
 * accept the same input depending on how much markup the sanitizer keeps. Stateless and
 * thread-safe.
 */
public final class ArticleInputRules {
  /** The {@code articles.title} column's size. */
  public static final int TITLE_MAX_CHARS = 1024;

  /** SPEC §2.4: content larger than 1 MiB is refused. */
  public static final int CONTENT_MAX_BYTES = 1 << 20;

  private ArticleInputRules() {}

  /** The ways an article's title and content can be wrong, in the order they are checked. */
  public enum ArticleProblem {
    /** The title is empty or only whitespace. */
    EMPTY_TITLE,
    /** The title has more than {@link #TITLE_MAX_CHARS} characters. */
    LONG_TITLE,
    /** The content takes more than {@link #CONTENT_MAX_BYTES} bytes in UTF-8. */
    LONG_CONTENT
  }

  /**
   * The first problem of a draft's title and content (empty title → title too long → content too
   * long), or empty when both are acceptable. An empty content is fine: a draft may be only a
   * title.
   */
  public static Optional<ArticleProblem> check(String title, String content) {
    if (title.isBlank()) {
      return Optional.of(ArticleProblem.EMPTY_TITLE);
    }
    if (title.length() > TITLE_MAX_CHARS
        && title.codePointCount(0, title.length()) > TITLE_MAX_CHARS) {
      return Optional.of(ArticleProblem.LONG_TITLE);
    }
    if (isContentTooLong(content)) {
      return Optional.of(ArticleProblem.LONG_CONTENT);
    }
    return Optional.empty();
  }

  /** More than {@link #CONTENT_MAX_BYTES} bytes in UTF-8. */
  public static boolean isContentTooLong(String content) {
    // A char takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 chars), so most
    // contents are decided without encoding them.
    if (content.length() * 3L <= CONTENT_MAX_BYTES) {
      return false;
    }
    if (content.length() > CONTENT_MAX_BYTES) {
      return true;
    }
    return content.getBytes(StandardCharsets.UTF_8).length > CONTENT_MAX_BYTES;
  }
}
