package com.webook.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
  @Test
  void theFirstOccurrenceIsLoggedThenOneLinePerInterval() {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), now::get);
    assertThat(throttle.allow()).isTrue();
    assertThat(throttle.allow()).isFalse();
    now.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(throttle.allow()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(throttle.allow()).isTrue();
    assertThat(throttle.allow()).isFalse();
  }
}
