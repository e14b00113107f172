package com.webook.ranking.service;

import com.webook.ranking.domain.Counts;
import java.util.List;
import java.util.Map;

/** Counters of many articles at once (interactive-svc GetByIds); ids without counters absent. */
public interface ArticleCounters {
  Map<Long, Counts> of(List<Long> ids);
}
