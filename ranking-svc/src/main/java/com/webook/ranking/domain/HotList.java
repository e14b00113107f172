package com.webook.ranking.domain;

import java.time.Instant;
import java.util.List;

/**
 * The hot list, best first, as one computation produced it.
 *
 * @param computedAt when the computation started (its "now": ages are measured from it)
 */
public record HotList(List<HotArticle> articles, Instant computedAt) {
  public HotList {
    articles = List.copyOf(articles);
  }

  /** No list has been computed yet. */
  public static final HotList NONE = new HotList(List.of(), Instant.EPOCH);

  public boolean none() {
    return computedAt.equals(Instant.EPOCH);
  }
}
