package com.webook.platform.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.testsupport.TestStack;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory against the shared etcd, in a namespace of its own: the resolver gauges across an
 * idle cycle (issue 7, B.3) — watch, linger expires and the watch is dropped, watch again.
 */
class EtcdServiceDirectoryIT {
  private static final String SERVICE = "gauged";
  private static final List<String> GAUGES =
      List.of(
          "webook.resolver.endpoints",
          "webook.resolver.protection.held",
          "webook.resolver.stale.seconds");

  private final String namespace = "/" + TestStack.unique("directory-it");
  private final EtcdConfig etcdConfig =
      new EtcdConfig(
          List.of(TestStack.etcdEndpoint()),
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          namespace);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Client admin;
  private EtcdConnection etcd;
  private ScheduledExecutorService loop;
  private EtcdServiceDirectory directory;

  @BeforeEach
  void start() {
    admin = EtcdClients.connect(etcdConfig);
    etcd = EtcdConnection.open(etcdConfig);
    loop = EtcdServiceDirectory.newLoop();
    directory =
        new EtcdServiceDirectory(
            etcd,
            new DiscoveryConfig(
                Duration.ofMillis(300), // linger: short, so that the idle cycle is quick
                Duration.ofSeconds(1),
                0.5,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1)),
            etcdConfig.requestTimeout(),
            registry,
            Clock.systemUTC(),
            loop);
  }

  @AfterEach
  void stop() throws Exception {
    directory.close();
    loop.shutdownNow();
    etcd.close();
    admin
        .getKVClient()
        .delete(
            RegistryKeys.bytes(RegistryKeys.ROOT), DeleteOption.builder().isPrefix(true).build())
        .get(3, TimeUnit.SECONDS);
    admin.close();
  }

  private void put(String id, int port) throws Exception {
    admin
        .getKVClient()
        .put(
            RegistryKeys.bytes(RegistryKeys.instanceKey(SERVICE, id)),
            RegistryKeys.encode(new ServiceInstance("127.0.0.1:" + port, 1, "", "t", 0, Map.of())))
        .get(3, TimeUnit.SECONDS);
  }

  private List<Gauge> gauges(String name) {
    return List.copyOf(registry.find(name).tag("service", SERVICE).gauges());
  }

  private double gauge(String name) {
    List<Gauge> found = gauges(name);
    assertThat(found).as("one %s gauge", name).hasSize(1);
    return found.get(0).value();
  }

  @Test
  void afterAnIdleCycleTheGaugesReadTheNewWatchAndNoneOutlivesItsWatch() throws Exception {
    put("a", 9101);
    put("b", 9102);
    AtomicReference<ServiceDirectory.Snapshot> last = new AtomicReference<>();
    ServiceDirectory.Subscription first = directory.subscribe(SERVICE, last::set);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> last.get() != null && last.get().endpoints().size() == 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> gauge("webook.resolver.endpoints") == 2.0);
    double relistsBefore = registry.get("webook.resolver.relists").counter().count();

    // Idle: the last subscriber leaves, the watch lingers, then it is dropped — gauges with it.
    first.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> directory.watchedServices().isEmpty());
    assertThat(directory.activeWatches()).isZero();
    for (String name : GAUGES) {
      assertThat(gauges(name)).as("%s after the watch was dropped", name).isEmpty();
    }

    // While nobody watched, etcd changed. The next watch's gauges show the next watch's values.
    put("c", 9103);
    last.set(null);
    ServiceDirectory.Subscription second = directory.subscribe(SERVICE, last::set);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> last.get() != null && last.get().endpoints().size() == 3);
    assertThat(gauge("webook.resolver.endpoints")).isEqualTo(3.0);
    assertThat(gauge("webook.resolver.protection.held")).isZero();
    assertThat(gauge("webook.resolver.stale.seconds")).isZero();
    assertThat(registry.get("webook.resolver.relists").counter().count())
        .as("counters are cumulative per service and continue")
        .isGreaterThan(relistsBefore);

    // And they follow it: etcd empties the list, self-protection holds all three.
    admin
        .getKVClient()
        .delete(
            RegistryKeys.bytes(RegistryKeys.servicePrefix(SERVICE)),
            DeleteOption.builder().isPrefix(true).build())
        .get(3, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                last.get().endpoints().size() == 3
                    && last.get().endpoints().stream().allMatch(ServiceDirectory.Endpoint::held));
    assertThat(gauge("webook.resolver.endpoints")).isZero();
    assertThat(gauge("webook.resolver.protection.held")).isEqualTo(3.0);
    second.close();
  }
}
