package com.webook.article.events;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * Read events (config key {@code events}, SPEC §5.3).
 *
 * @param topic the Kafka topic ({@code article_read})
 * @param queueCapacity events held in memory on their way to the producer; when full (Kafka down
 *     long enough for the producer's own buffer to fill), new events are dropped and counted
 *     instead of blocking a read
 * @param stopTimeout on stop, how long queued events may take to reach the producer (which the host
 *     then flushes)
 */
public record ReadEventsConfig(String topic, int queueCapacity, Duration stopTimeout) {
  public ReadEventsConfig {
    Check.notBlank("topic", topic);
    Check.range("queueCapacity", queueCapacity, 1, 10_000_000);
    Check.positive("stopTimeout", stopTimeout);
  }
}
