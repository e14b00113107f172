package com.webook.ranking.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeadershipConfigTest {
  @Test
  void defaultsAndDerivedValues() {
    LeadershipConfig config = LeadershipConfig.defaults();
    assertThat(config.lockKey()).isEqualTo("lock:ranking:topN");
    assertThat(config.loadKey()).isEqualTo("lock:ranking:topN:load");
    assertThat(config.seenKey()).isEqualTo("lock:ranking:topN:load:seen");
    assertThat(config.liveWindow()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.tickInterval()).as("the load interval").isEqualTo(Duration.ofSeconds(2));
    assertThat(config.candidates()).isEqualTo(1);
    assertThat(config.handoverLoad()).isEqualTo(80);
    assertThat(config.loadFile()).isEmpty();
  }

  @Test
  void ticksAtLeastThreeTimesPerTtl() {
    LeadershipConfig config =
        new LeadershipConfig("k", Duration.ofSeconds(3), Duration.ofSeconds(2), 1, 80, null);
    assertThat(config.tickInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.loadFile()).isEmpty();
  }

  @Test
  void refusesValuesOutOfRangeNamingTheKey() {
    assertThatThrownBy(
            () -> new LeadershipConfig("k", Duration.ofSeconds(3), Duration.ZERO, 1, 80, ""))
        .hasMessageStartingWith("loadInterval:");
    assertThatThrownBy(
            () ->
                new LeadershipConfig("k", Duration.ofSeconds(3), Duration.ofSeconds(1), 0, 80, ""))
        .hasMessageStartingWith("candidates:");
    assertThatThrownBy(
            () ->
                new LeadershipConfig("k", Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 101, ""))
        .hasMessageStartingWith("handoverLoad:");
    assertThatThrownBy(
            () ->
                new LeadershipConfig(" ", Duration.ofSeconds(3), Duration.ofSeconds(1), 1, 80, ""))
        .hasMessageStartingWith("lockKey:");
  }
}
