package com.webook.interactive.events;

import com.webook.interactive.domain.PartitionAdvance;
import com.webook.interactive.domain.ReadBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns polled records into what one transaction applies: reads summed per article id, the position
 * advance of every partition (from the position the consumer holds, to the last record's offset +
 * 1), and the unparseable records for the DLQ. Pure: no I/O, unit-tested.
 *
 * @param batch what the repository applies
 * @param poison the unparseable records, in offset order, with their reasons
 * @param applied the well-formed records (for the end-to-end delay)
 */
record BatchAssembly(
    ReadBatch batch, List<PoisonRecord> poison, List<ConsumerRecord<byte[], byte[]>> applied) {

  /** An unparseable record and why. */
  record PoisonRecord(ConsumerRecord<byte[], byte[]> record, String reason) {}

  /**
   * @param records in poll order (per partition a run of increasing offsets)
   * @param positions the position held for each partition ({@link PartitionAdvance#NONE}: none
   *     stored yet); records of a partition without one, or below it, are ignored
   */
  static BatchAssembly of(
      String biz,
      List<ConsumerRecord<byte[], byte[]>> records,
      Map<TopicPartition, Long> positions) {
    Map<Long, Long> reads = new HashMap<>();
    Map<TopicPartition, Long> ends = new LinkedHashMap<>();
    List<PoisonRecord> poison = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> applied = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      Long from = positions.get(tp);
      if (from == null || (from != PartitionAdvance.NONE && r.offset() < from)) {
        continue;
      }
      Long end = ends.get(tp);
      if (end != null && r.offset() < end) {
        continue; // a record seen twice in the same batch
      }
      ends.put(tp, r.offset() + 1);
      switch (ReadEventParser.parse(r.value())) {
        case ReadEventParser.Read read -> {
          reads.merge(read.aid(), 1L, Long::sum);
          applied.add(r);
        }
        case ReadEventParser.Poison p -> poison.add(new PoisonRecord(r, p.reason()));
      }
    }
    List<PartitionAdvance> advances = new ArrayList<>();
    ends.forEach(
        (tp, end) ->
            advances.add(new PartitionAdvance(tp.topic(), tp.partition(), positions.get(tp), end)));
    return new BatchAssembly(new ReadBatch(biz, reads, advances), poison, applied);
  }

  /** Whether to apply now: a full batch, or the oldest pending record waited long enough. */
  static boolean due(
      int pending, int batchSize, long oldestPendingNanos, long nowNanos, long waitNanos) {
    return pending >= batchSize || (pending > 0 && nowNanos - oldestPendingNanos >= waitNanos);
  }
}
