package com.webook.interactive.domain;

/**
 * How far one batch moves the consumed position of one partition of the read-event topic: from
 * {@code from} (the position the applier believes is stored, {@link #NONE} when it believes no
 * position was ever stored) to {@code to} (the next offset to read once the batch is applied).
 *
 * <p>Plain data, no Kafka types: the repository writes it as a compare-and-set next to the
 * counters, which is what makes ingestion exact (README "Read events").
 */
public record PartitionAdvance(String topic, int partition, long from, long to) {
  /** "No position stored yet": the first batch of a partition inserts its row. */
  public static final long NONE = -1;

  public PartitionAdvance {
    if (from < NONE || to <= from || (from == NONE && to < 0)) {
      throw new IllegalArgumentException(
          "bad advance of " + topic + "-" + partition + ": " + from + " → " + to);
    }
  }
}
