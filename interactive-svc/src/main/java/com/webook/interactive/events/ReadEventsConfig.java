package com.webook.interactive.events;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The read-event consumer (config key {@code events}, SPEC §6.4; README "Read events").
 *
 * @param topic the topic read ({@code article_read})
 * @param dlqTopic where unparseable records go ({@code article_read.dlq})
 * @param group the consumer group ({@code interactive})
 * @param biz the business tag the counted items belong to ({@code article})
 * @param consumers consumer threads per process (each its own group member)
 * @param batchSize at most this many records per batch (one transaction)
 * @param batchWait a batch is applied once its oldest record waited this long, even if not full
 * @param retryBackoff first wait after a failed batch, doubling
 * @param maxRetryBackoff the longest wait between retries of a failed batch and between restarts
 * @param stopTimeout on stop, how long the last batch may take to be applied before the consumer
 *     leaves without it (its records are then read again by the next owner: nothing is lost)
 */
public record ReadEventsConfig(
    String topic,
    String dlqTopic,
    String group,
    String biz,
    int consumers,
    int batchSize,
    Duration batchWait,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    Duration stopTimeout) {
  public ReadEventsConfig {
    Check.notBlank("topic", topic);
    Check.notBlank("dlqTopic", dlqTopic);
    Check.notBlank("group", group);
    Check.notBlank("biz", biz);
    Check.range("consumers", consumers, 0, 64);
    Check.range("batchSize", batchSize, 1, 10_000);
    Check.positive("batchWait", batchWait);
    Check.positive("retryBackoff", retryBackoff);
    Check.positive("maxRetryBackoff", maxRetryBackoff);
    Check.positive("stopTimeout", stopTimeout);
  }
}
