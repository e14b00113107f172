package com.webook.interactive.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.interactive.domain.PartitionAdvance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchAssemblyTest {
  private static ConsumerRecord<byte[], byte[]> rec(int partition, long offset, String value) {
    return new ConsumerRecord<>(
        "t", partition, offset, null, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(long aid) {
    return "{\"uid\":1,\"aid\":" + aid + "}";
  }

  @Test
  void sumsDuplicatesAndAdvancesEveryPartitionFromTheHeldPosition() {
    BatchAssembly a =
        BatchAssembly.of(
            "article",
            List.of(
                rec(0, 10, read(5)),
                rec(1, 0, read(5)),
                rec(0, 11, read(5)),
                rec(0, 12, read(6)),
                rec(1, 1, "bad")),
            Map.of(
                new TopicPartition("t", 0),
                10L,
                new TopicPartition("t", 1),
                PartitionAdvance.NONE));
    assertThat(a.batch().reads()).isEqualTo(Map.of(5L, 3L, 6L, 1L));
    assertThat(a.batch().events()).isEqualTo(4);
    assertThat(a.batch().advances())
        .containsExactlyInAnyOrder(
            new PartitionAdvance("t", 0, 10, 13),
            new PartitionAdvance("t", 1, PartitionAdvance.NONE, 2));
    assertThat(a.poison()).hasSize(1);
    assertThat(a.poison().get(0).reason()).isEqualTo(ReadEventParser.MALFORMED);
    assertThat(a.poison().get(0).record().offset()).isEqualTo(1);
    assertThat(a.applied()).hasSize(4);
  }

  @Test
  void aPartitionOfOnlyPoisonStillAdvances() {
    BatchAssembly a =
        BatchAssembly.of(
            "article",
            List.of(rec(2, 7, "{}"), rec(2, 8, "[]")),
            Map.of(new TopicPartition("t", 2), 7L));
    assertThat(a.batch().reads()).isEmpty();
    assertThat(a.batch().advances()).containsExactly(new PartitionAdvance("t", 2, 7, 9));
    assertThat(a.poison()).hasSize(2);
  }

  @Test
  void theAdvanceStartsAtTheHeldPositionEvenAcrossAGap() {
    // Offsets 20..21 are gone (a transaction marker, compaction): the CAS must still expect 20.
    BatchAssembly a =
        BatchAssembly.of(
            "article", List.of(rec(0, 22, read(1))), Map.of(new TopicPartition("t", 0), 20L));
    assertThat(a.batch().advances()).containsExactly(new PartitionAdvance("t", 0, 20, 23));
  }

  @Test
  void recordsBelowTheHeldPositionOrOfUnheldPartitionsAreIgnored() {
    BatchAssembly a =
        BatchAssembly.of(
            "article",
            List.of(rec(0, 3, read(1)), rec(0, 5, read(1)), rec(0, 5, read(1)), rec(9, 0, read(2))),
            Map.of(new TopicPartition("t", 0), 5L));
    assertThat(a.batch().reads()).isEqualTo(Map.of(1L, 1L));
    assertThat(a.batch().advances()).containsExactly(new PartitionAdvance("t", 0, 5, 6));
  }

  @Test
  void dueWhenFullOrWhenTheOldestWaitedLongEnough() {
    long wait = 1_000;
    assertThat(BatchAssembly.due(0, 100, 0, 5_000, wait)).as("nothing pending").isFalse();
    assertThat(BatchAssembly.due(100, 100, 4_999, 5_000, wait)).as("full").isTrue();
    assertThat(BatchAssembly.due(99, 100, 4_500, 5_000, wait)).as("young, not full").isFalse();
    assertThat(BatchAssembly.due(1, 100, 4_000, 5_000, wait)).as("oldest waited 1 s").isTrue();
  }
}
