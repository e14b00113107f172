package com.webook.platform.discovery;

import static com.webook.platform.discovery.EchoCluster.WHOAMI;
import static com.webook.platform.discovery.EchoCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.testsupport.EtcdProcess;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TcpProxy;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What etcd does to us, with a private etcd process each test can stop, wipe or cut off: outages,
 * wipes, outside deletes and revokes, compaction, channel idle churn (SPEC §8.1, §8.2).
 */
class EtcdFailuresIT {
  private static final WeightedRoundRobinConfig NO_SLOW_START = EchoCluster.NO_SLOW_START;
  private EtcdProcess etcdServer;
  private Client admin;
  private EchoCluster cluster;

  @BeforeEach
  void startEtcd() {
    etcdServer = EtcdProcess.start("failures");
    admin = newAdminClient();
  }

  private Client newAdminClient() {
    return EtcdClients.connect(
        new EtcdConfig(
            List.of(etcdServer.endpoint()), Duration.ofSeconds(1), Duration.ofSeconds(3)));
  }

  /**
   * The test's own client would sit out gRPC's reconnect backoff after an outage: take a fresh one.
   */
  private void restartEtcd() {
    etcdServer.restart();
    admin.close();
    admin = newAdminClient();
  }

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
    admin.close();
    etcdServer.close();
  }

  private KeyValue key(String instanceId) throws Exception {
    List<KeyValue> kvs =
        admin
            .getKVClient()
            .get(RegistryKeys.bytes(RegistryKeys.instanceKey(cluster.service, instanceId)))
            .get(3, TimeUnit.SECONDS)
            .getKvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  private Map<String, Long> leases() throws Exception {
    Map<String, Long> leases = new HashMap<>();
    for (var i : cluster.instances) {
      KeyValue kv = key(i.id());
      leases.put(i.id(), kv == null ? null : kv.getLease());
    }
    return leases;
  }

  private void awaitAllReRegisteredWithNewLeases(Map<String, Long> before, Duration within) {
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (var i : cluster.instances) {
                KeyValue kv = key(i.id());
                assertThat(kv).as("key of %s", i.id()).isNotNull();
                assertThat(kv.getLease())
                    .as("lease of %s", i.id())
                    .isNotEqualTo(before.get(i.id()))
                    .isNotZero();
              }
            });
  }

  private ManagedChannel twoInstancesAndAClient(Duration ttl) {
    cluster = new EchoCluster(etcdServer.endpoint(), ttl);
    cluster.start(1, "");
    cluster.start(1, "");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              call(channel, WHOAMI);
              return true;
            });
    return channel;
  }

  @Test
  void thirtySecondsWithoutEtcdUnderLoadFailNoCallAndEveryoneReRegistersAfterwards()
      throws Exception {
    ManagedChannel channel = twoInstancesAndAClient(Duration.ofSeconds(10));
    Map<String, Long> before = leases();

    try (EchoCluster.Load load = new EchoCluster.Load(channel, 4, 5)) {
      etcdServer.stop();
      Thread.sleep(30_000);
      assertThat(cluster.directory().staleness(cluster.service))
          .as("the client knows its list is stale")
          .isGreaterThan(Duration.ofSeconds(20));
      var readiness = cluster.directory().readinessCheck().check();
      assertThat(readiness.ready()).as("a stale list still serves").isTrue();
      assertThat(readiness.detail()).contains(cluster.service + ": stale for");
      long etcdBackAt = System.nanoTime();
      restartEtcd();
      awaitAllReRegisteredWithNewLeases(before, Duration.ofSeconds(10));
      System.out.printf(
          "etcd outage 30 s: %d calls, %d failed; all instances re-registered with new leases %d ms after etcd returned%n",
          load.calls.sum(), load.failures.size(), (System.nanoTime() - etcdBackAt) / 1_000_000);

      // A change made after the outage reaches the client: a new instance joins.
      var late = cluster.start(1, "");
      await().atMost(Duration.ofSeconds(10)).until(() -> load.answersFrom(late.id()) > 0);
      load.close();
      assertThat(load.failures).as("failed calls while etcd was down").isEmpty();
      assertThat(cluster.directory().staleness(cluster.service)).isZero();
    }
  }

  @Test
  void etcdWipedEmptyEveryoneReRegistersAndClientsKeepServing() throws Exception {
    ManagedChannel channel = twoInstancesAndAClient(Duration.ofSeconds(5));
    Map<String, Long> before = leases();
    try (EchoCluster.Load load = new EchoCluster.Load(channel, 4, 5)) {
      etcdServer.stop();
      etcdServer.wipe();
      restartEtcd();
      long back = System.nanoTime();
      awaitAllReRegisteredWithNewLeases(before, Duration.ofSeconds(10));
      System.out.printf(
          "etcd wiped: instances re-registered %d ms after the empty etcd started%n",
          (System.nanoTime() - back) / 1_000_000);
      Thread.sleep(2000);
      load.close();
      assertThat(load.failures).as("failed calls around the wipe").isEmpty();
      assertThat(load.answers).hasSize(2);
    }
  }

  @Test
  void aKeyDeletedOrALeaseRevokedFromOutsideComesBack() throws Exception {
    cluster = new EchoCluster(etcdServer.endpoint(), Duration.ofSeconds(3));
    var a = cluster.start(1, "");
    KeyValue original = key(a.id());
    admin.getKVClient().delete(original.getKey()).get(3, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> key(a.id()) != null);
    assertThat(key(a.id()).getLease())
        .as("same lease: it still lives")
        .isEqualTo(original.getLease());

    admin.getLeaseClient().revoke(original.getLease()).get(3, TimeUnit.SECONDS);
    assertThat(key(a.id())).as("revoking deleted the key").isNull();
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> key(a.id()) != null);
    assertThat(key(a.id()).getLease()).as("a new lease").isNotEqualTo(original.getLease());
  }

  @Test
  void whileEtcdIsDownTheRegistrarSleepsAndThenTakesANewLease() throws Exception {
    cluster = new EchoCluster(etcdServer.endpoint(), Duration.ofSeconds(3));
    var a = cluster.start(1, "");
    Map<String, Long> before = leases();
    etcdServer.kill(); // keep-alive requests now fail
    Thread.sleep(4000); // past the TTL: the lease counts as lost, re-registration attempts back off
    long cpuBefore = cpuTicks(a.process().pid());
    Thread.sleep(10_000);
    long ticks = cpuTicks(a.process().pid()) - cpuBefore;
    double coreShare = ticks / 100.0 / 10.0;
    System.out.printf("etcd down: instance used %.1f %% of a core over 10 s%n", coreShare * 100);
    assertThat(coreShare)
        .as("CPU share of one core while etcd is down (no busy loop)")
        .isLessThan(0.2);
    restartEtcd();
    awaitAllReRegisteredWithNewLeases(before, Duration.ofSeconds(10));
  }

  /** utime + stime of a process, in clock ticks (100 per second on Linux). */
  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  @Test
  void afterAPartitionAndACompactionTheDirectoryReListsAndSeesEveryChangeIncludingDeletes()
      throws Exception {
    String service = "compaction-test";
    put(service, "x", 8001, 1);
    put(service, "y", 8002, 1);
    put(service, "z", 8003, 1);
    try (TcpProxy proxy = TcpProxy.to("127.0.0.1", etcdServer.clientPort());
        EtcdConnection viaProxy =
            EtcdConnection.open(
                new EtcdConfig(
                    List.of(proxy.endpoint()), Duration.ofSeconds(1), Duration.ofSeconds(2)));
        EtcdServiceDirectory directory =
            new EtcdServiceDirectory(
                viaProxy,
                new DiscoveryConfig(
                    Duration.ofMinutes(1),
                    Duration.ofSeconds(1),
                    0.5,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(1)),
                Duration.ofSeconds(2),
                null)) {
      AtomicReference<ServiceDirectory.Snapshot> last = new AtomicReference<>();
      directory.subscribe(service, last::set);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> last.get() != null && ids(last.get()).equals(Set.of("x", "y", "z")));

      proxy.cut();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> directory.staleness(service).compareTo(Duration.ZERO) > 0);
      admin
          .getKVClient()
          .delete(RegistryKeys.bytes(RegistryKeys.instanceKey(service, "y")))
          .get(3, TimeUnit.SECONDS);
      put(service, "w", 8004, 1);
      put(service, "z", 8003, 7);
      for (int i = 0; i < 50; i++) {
        admin
            .getKVClient()
            .put(RegistryKeys.bytes("/other/" + i), RegistryKeys.bytes("v"))
            .get(3, TimeUnit.SECONDS);
      }
      long rev =
          admin
              .getKVClient()
              .get(RegistryKeys.bytes("/other/0"))
              .get(3, TimeUnit.SECONDS)
              .getHeader()
              .getRevision();
      admin.getKVClient().compact(rev).get(3, TimeUnit.SECONDS);
      assertThat(ids(last.get()))
          .as("stale but serving while cut off")
          .isEqualTo(Set.of("x", "y", "z"));

      proxy.restore();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> ids(last.get()).equals(Set.of("x", "z", "w")));
      assertThat(
              last.get().endpoints().stream()
                  .filter(e -> e.instanceId().equals("z"))
                  .findFirst()
                  .orElseThrow()
                  .instance()
                  .weight())
          .isEqualTo(7);
      assertThat(directory.staleness(service)).isZero();

      // And the new watch works: later changes, including deletes, arrive.
      admin
          .getKVClient()
          .delete(RegistryKeys.bytes(RegistryKeys.instanceKey(service, "x")))
          .get(3, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> ids(last.get()).equals(Set.of("z", "w")));
    }
  }

  private void put(String service, String id, int port, int weight) throws Exception {
    admin
        .getKVClient()
        .put(
            RegistryKeys.bytes(RegistryKeys.instanceKey(service, id)),
            RegistryKeys.encode(
                new ServiceInstance("127.0.0.1:" + port, weight, "", "t", 0, Map.of())),
            PutOption.DEFAULT)
        .get(3, TimeUnit.SECONDS);
  }

  private static Set<String> ids(ServiceDirectory.Snapshot s) {
    Set<String> ids = new HashSet<>();
    s.endpoints().forEach(e -> ids.add(e.instanceId()));
    return ids;
  }

  @Test
  void idleChurnLeaksNoWatchNorThreadAndWakingUpNeedsNoEtcd() throws Exception {
    cluster = new EchoCluster(etcdServer.endpoint(), Duration.ofSeconds(5));
    var a = cluster.start(1, "");
    ManagedChannel channel =
        cluster.channel(etcdServer.endpoint(), NO_SLOW_START, Duration.ofSeconds(1));
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> call(channel, WHOAMI).equals(a.id()));
    // One real idle timeout first.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> channel.getState(false) == io.grpc.ConnectivityState.IDLE);
    assertThat(call(channel, WHOAMI)).isEqualTo(a.id());

    long watchersBefore = etcdServer.watchers();
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 200; i++) {
      channel.enterIdle();
      assertThat(call(channel, WHOAMI)).isEqualTo(a.id());
    }
    assertThat(etcdServer.watchers())
        .as("etcd watchers after 200 idle cycles")
        .isEqualTo(watchersBefore);
    assertThat(cluster.directory().activeWatches()).isEqualTo(1);
    int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
    System.out.printf(
        "idle churn x200: etcd watchers %d -> %d, threads %d -> %d%n",
        watchersBefore, etcdServer.watchers(), threadsBefore, threadsAfter);
    assertThat(threadsAfter)
        .as("threads after 200 idle cycles")
        .isLessThanOrEqualTo(threadsBefore + 2);

    // Waking up needs no etcd: the shared watch keeps the list.
    etcdServer.kill();
    channel.enterIdle();
    assertThat(call(channel, WHOAMI)).isEqualTo(a.id());
  }

  @Test
  void namespacesKeepEnvironmentsApart() throws Exception {
    Duration t = Duration.ofSeconds(2);
    try (EtcdConnection blue =
            EtcdConnection.open(new EtcdConfig(List.of(etcdServer.endpoint()), t, t, "/blue"));
        EtcdConnection green =
            EtcdConnection.open(new EtcdConfig(List.of(etcdServer.endpoint()), t, t, "/green"));
        EtcdServiceDirectory blueDir =
            new EtcdServiceDirectory(blue, DiscoveryConfig.defaults(), t, null);
        EtcdServiceDirectory greenDir =
            new EtcdServiceDirectory(green, DiscoveryConfig.defaults(), t, null)) {
      EtcdServiceRegistrar registrar =
          new EtcdServiceRegistrar(
              blue,
              "shared-name",
              "i1",
              new ServiceInstance("127.0.0.1:9", 1, "", "t", 0, Map.of()),
              Duration.ofSeconds(5),
              t,
              null);
      registrar.register();
      AtomicReference<ServiceDirectory.Snapshot> seenByBlue = new AtomicReference<>();
      AtomicReference<ServiceDirectory.Snapshot> seenByGreen = new AtomicReference<>();
      blueDir.subscribe("shared-name", seenByBlue::set);
      greenDir.subscribe("shared-name", seenByGreen::set);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(seenByBlue.get()).isNotNull();
                assertThat(seenByGreen.get()).isNotNull();
                assertThat(ids(seenByBlue.get())).containsExactly("i1");
              });
      assertThat(ids(seenByGreen.get())).isEmpty();
      assertThat(
              admin
                  .getKVClient()
                  .get(RegistryKeys.bytes("/blue/webook/services/shared-name/i1"))
                  .get(3, TimeUnit.SECONDS)
                  .getKvs())
          .as("stored under the namespace")
          .hasSize(1);
      registrar.deregister();
      // The last instance leaving empties the list: self-protection keeps it, marked held.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  seenByBlue.get().endpoints().stream().allMatch(ServiceDirectory.Endpoint::held));
    }
  }

  @Test
  void aServiceNobodyRegisteredIsUnavailableWithItsName() {
    cluster = new EchoCluster(etcdServer.endpoint(), Duration.ofSeconds(5));
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    assertThatThrownBy(() -> call(channel, WHOAMI))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("no instances of " + cluster.service);
            });
  }

  @Test
  void aNewInstanceThatCannotReachEtcdFailsFastWithAClearMessage() {
    int port = ServiceProcess.freePort();
    try (ServiceProcess p =
        ServiceProcess.builder("echo-no-etcd", EchoServerMain.class.getName())
            .arg("--service")
            .arg("lonely")
            .arg("--port")
            .arg(String.valueOf(port))
            .arg("--admin")
            .arg(String.valueOf(ServiceProcess.freePort()))
            .arg("--etcd")
            .arg("http://127.0.0.1:" + ServiceProcess.freePort())
            .start()) {
      assertThat(p.waitForExit(Duration.ofSeconds(30))).isNotZero();
      assertThat(p.log())
          .contains("cannot register /webook/services/lonely/127.0.0.1:" + port + " in etcd");
    }
  }
}
