package com.webook.article.repository.cache;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * article-svc's caches (config key {@code cache}, SPEC §5.2).
 *
 * @param keyNamespace prepended to every key (empty in production, so keys read {@code
 *     article:pub:<id>}); lets tests and shared Redis servers keep their keys apart
 * @param firstPageTtl {@code article:first_page:<uid>}, an author's first page of articles
 * @param detailTtl {@code article:detail:<id>}, the author view of one article
 * @param readerViewTtl {@code article:pub:<id>}, the reader view with the author's name
 * @param absentTtl how long a "no such article" marker and a write's invalidation floor live: long
 *     enough to outlast a slow load racing the write, short enough that a wrongly absent article
 *     reappears soon
 */
public record ArticleCacheConfig(
    String keyNamespace,
    Duration firstPageTtl,
    Duration detailTtl,
    Duration readerViewTtl,
    Duration absentTtl) {
  public ArticleCacheConfig {
    keyNamespace = keyNamespace == null ? "" : keyNamespace;
    atLeastOneSecond("firstPageTtl", firstPageTtl);
    atLeastOneSecond("detailTtl", detailTtl);
    atLeastOneSecond("readerViewTtl", readerViewTtl);
    atLeastOneSecond("absentTtl", absentTtl);
  }

  private static void atLeastOneSecond(String name, Duration ttl) {
    Check.positive(name, ttl);
    if (ttl.toMillis() < 1000) {
      throw new IllegalArgumentException(name + ": must be at least 1s (was " + ttl + ")");
    }
  }
}
