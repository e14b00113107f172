package com.webook.article.repository;

import java.util.Collection;
import java.util.Map;

/**
 * Authors' display names, owned by user-svc (SPEC §5.3). Implemented over gRPC in {@code client/};
 * never called inside a database transaction.
 */
public interface AuthorNames {
  /**
   * The names of {@code authorIds} that user-svc knows (an unknown id is absent from the map).
   *
   * @throws RuntimeException when user-svc cannot answer (callers degrade)
   */
  Map<Long, String> namesOf(Collection<Long> authorIds);
}
