package com.webook.platform.discovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code webook.resolver.*} meters of one watched service.
 *
 * <p>The gauges read the live state of one {@link ServiceWatch}, so they live exactly as long as
 * it: {@link #close()} removes them when the directory drops a lingering watch. Micrometer keeps
 * the first registration of a name and tags, so a gauge left behind would keep reading the dead
 * watch after the next one started (issue 7, B.3). Counters are different: they are owned by the
 * registry and cumulative, so a later watch of the same service continues them, and they stay.
 *
 * <p>One directory per registry: two directories watching the same service in one registry would
 * share (and remove) each other's gauges.
 */
final class ResolverMetrics implements AutoCloseable {
  private final MeterRegistry registry;
  private final List<Meter> gauges;
  final Counter updates;
  final Counter relists;
  final Counter decodeErrors;

  /** What the gauges read; called on the scraping thread, so it must be thread-safe. */
  interface Readings {
    int endpoints();

    int held();

    double staleSeconds();
  }

  ResolverMetrics(MeterRegistry registry, String service, Readings readings) {
    this.registry = registry;
    Tags tags = Tags.of("service", service);
    this.gauges =
        List.of(
            gauge("webook.resolver.endpoints", tags, readings::endpoints, "endpoints published"),
            gauge(
                "webook.resolver.protection.held",
                tags,
                readings::held,
                "endpoints kept by self-protection after etcd dropped them"),
            gauge(
                "webook.resolver.stale.seconds",
                tags,
                readings::staleSeconds,
                "age of the list while etcd does not answer (0 = fresh)"));
    this.updates = Counter.builder("webook.resolver.updates").tags(tags).register(registry);
    this.relists = Counter.builder("webook.resolver.relists").tags(tags).register(registry);
    this.decodeErrors =
        Counter.builder("webook.resolver.decode.errors").tags(tags).register(registry);
  }

  private Meter gauge(String name, Tags tags, Supplier<Number> value, String description) {
    return Gauge.builder(name, value).tags(tags).description(description).register(registry);
  }

  /** Removes the gauges (they would read a dead watch); the counters stay. */
  @Override
  public void close() {
    gauges.forEach(registry::remove);
  }
}
