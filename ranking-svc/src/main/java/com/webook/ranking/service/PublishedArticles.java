package com.webook.ranking.service;

import com.webook.ranking.domain.Candidate;
import java.time.Instant;
import java.util.List;

/** Published articles changed at or before {@code before}, newest first (article-svc ListPub). */
public interface PublishedArticles {
  List<Candidate> page(Instant before, int offset, int limit);
}
