package com.webook.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class KafkaProcessTest {
  @Test
  void clusterIdsAreBase64UrlAndNeverLookLikeAnOption() {
    // Without the redraw about 1 in 64 ids starts with '-': 10 000 draws would hold ~156.
    assertThat(IntStream.range(0, 10_000).mapToObj(i -> KafkaProcess.clusterId()))
        .allMatch(id -> id.matches("[A-Za-z0-9_][A-Za-z0-9_-]{21}"));
  }
}
