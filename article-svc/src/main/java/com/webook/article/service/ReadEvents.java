package com.webook.article.service;

import com.webook.article.domain.ReadEvent;

/**
 * Where reader views are reported (SPEC §5.3: Kafka topic {@code article_read}, implemented in
 * {@code events/}). {@link #emit} never blocks and never throws: the read path must not wait for,
 * or fail because of, the event pipeline; what cannot be delivered is counted there.
 */
public interface ReadEvents {
  void emit(ReadEvent event);
}
