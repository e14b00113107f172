package com.webook.platform.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void basesDoubleUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5));
    assertThat(b.base(1)).isEqualTo(200);
    assertThat(b.base(2)).isEqualTo(400);
    assertThat(b.base(5)).isEqualTo(3200);
    assertThat(b.base(6)).isEqualTo(5000);
    assertThat(b.base(1_000)).isEqualTo(5000);
    assertThat(b.base(0)).isEqualTo(200);
  }

  @Test
  void delaysStayWithinHalfTheBaseAndTheBase() {
    Backoff lowest = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), bound -> 0);
    Backoff highest =
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), bound -> bound - 1);
    assertThat(lowest.delay(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(highest.delay(3)).isEqualTo(Duration.ofMillis(800));
    assertThat(highest.delay(40)).isEqualTo(Duration.ofSeconds(5));
    Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    for (int i = 0; i < 1_000; i++) {
      assertThat(real.delay(4)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
    }
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
