package com.webook.interactive.domain;

import java.util.List;
import java.util.Map;

/**
 * One batch of read events, ready to apply in one transaction: the reads per item id of {@code
 * biz}, duplicates already summed ({@code reads.get(id)} events of item {@code id}), and the
 * position advance of every partition the events came from (a partition whose events were all
 * unparseable still advances).
 */
public record ReadBatch(String biz, Map<Long, Long> reads, List<PartitionAdvance> advances) {
  public ReadBatch {
    reads = Map.copyOf(reads);
    advances = List.copyOf(advances);
  }

  /** Events counted in this batch. */
  public long events() {
    long n = 0;
    for (long v : reads.values()) {
      n += v;
    }
    return n;
  }
}
