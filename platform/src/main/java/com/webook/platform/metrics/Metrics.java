package com.webook.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Creates the process's Prometheus registry with the JVM and process binders. */
public final class Metrics {
  /**
   * Server-side gRPC latency as a Prometheus histogram ({@code _bucket} series, 100 µs to 10 s), so
   * p50/p99 per method come from {@code histogram_quantile} over any window and any set of
   * instances — what a timer's count/sum/max cannot give. One histogram per method and status.
   */
  static final MeterFilter LATENCY_HISTOGRAMS =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (!id.getName().equals("grpc.server.processing.duration")) {
            return config;
          }
          return DistributionStatisticConfig.builder()
              .percentilesHistogram(true)
              .minimumExpectedValue((double) Duration.ofNanos(100_000).toNanos())
              .maximumExpectedValue((double) Duration.ofSeconds(10).toNanos())
              .build()
              .merge(config);
        }
      };

  private Metrics() {}

  /**
   * A registry whose every meter carries {@code service=<service>} and {@code instance=<id>}, so
   * one dashboard can tell instances of one service apart. It is also added to Micrometer's global
   * registry, where components that gRPC instantiates itself (our load balancer) meter.
   */
  public static PrometheusMeterRegistry newRegistry(String service, String instance) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("service", service, "instance", instance);
    registry.config().meterFilter(LATENCY_HISTOGRAMS);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    return registry;
  }
}
