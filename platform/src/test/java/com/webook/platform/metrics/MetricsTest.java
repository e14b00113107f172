package com.webook.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void grpcServerLatencyIsAHistogramFromAHundredMicrosecondsAndOtherTimersAreNot() {
    PrometheusMeterRegistry registry = Metrics.newRegistry("test", "127.0.0.1:1");
    try {
      Timer.builder("grpc.server.processing.duration")
          .tag("method", "Get")
          .register(registry)
          .record(Duration.ofMillis(3));
      Timer.builder("other.duration").register(registry).record(Duration.ofMillis(3));
      String scrape = registry.scrape();
      assertThat(scrape)
          .contains("grpc_server_processing_duration_seconds_bucket{")
          .contains("le=\"1.0E-4\"")
          .contains("le=\"10.0\"")
          .doesNotContain("other_duration_seconds_bucket");
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(registry);
      registry.close();
    }
  }
}
