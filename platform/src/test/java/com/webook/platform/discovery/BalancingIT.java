package com.webook.platform.discovery;

import static com.webook.platform.discovery.EchoCluster.WHOAMI;
import static com.webook.platform.discovery.EchoCluster.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.testsupport.TestStack;
import io.etcd.jetcd.Client;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Discovery and balancing with real processes against the real etcd (SPEC §8): distribution, joins,
 * graceful and crash leaves under load, retry budget, runtime weights, group routing.
 */
class BalancingIT {
  private static final WeightedRoundRobinConfig NO_SLOW_START = EchoCluster.NO_SLOW_START;
  private static final SimpleMeterRegistry METRICS = new SimpleMeterRegistry();
  private static Client etcd;
  private EchoCluster cluster;

  @BeforeAll
  static void setUp() {
    Metrics.addRegistry(METRICS);
    etcd =
        EtcdClients.connect(
            new EtcdConfig(
                List.of(TestStack.etcdEndpoint()), Duration.ofSeconds(1), Duration.ofSeconds(3)));
  }

  @AfterAll
  static void tearDownAll() {
    Metrics.removeRegistry(METRICS);
    etcd.close();
  }

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private boolean keyExists(String instanceId) throws Exception {
    return !etcd.getKVClient()
        .get(RegistryKeys.bytes(RegistryKeys.instanceKey(cluster.service, instanceId)))
        .get(3, TimeUnit.SECONDS)
        .getKvs()
        .isEmpty();
  }

  private static void awaitEndpoints(ManagedChannel channel, int distinct, int tries) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              java.util.Set<String> seen = new java.util.HashSet<>();
              for (int i = 0; i < tries; i++) {
                seen.add(call(channel, WHOAMI));
              }
              return seen.size() == distinct;
            });
  }

  @Test
  void weights123ShareTrafficOneTwoThreeAndNeverBurstBeyondTheWeight() {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), Duration.ofSeconds(5));
    var a = cluster.start(1, "");
    var b = cluster.start(2, "");
    var c = cluster.start(3, "");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    awaitEndpoints(channel, 3, 30);

    StringBuilder sequence = new StringBuilder();
    Map<String, Integer> counts = new HashMap<>();
    Map<String, Character> letter = Map.of(a.id(), 'A', b.id(), 'B', c.id(), 'C');
    for (int i = 0; i < 6000; i++) {
      String who = call(channel, WHOAMI);
      counts.merge(who, 1, Integer::sum);
      sequence.append(letter.get(who));
    }
    assertThat(counts.get(a.id()) / 6000.0)
        .isCloseTo(1 / 6.0, org.assertj.core.data.Offset.offset(0.03));
    assertThat(counts.get(b.id()) / 6000.0)
        .isCloseTo(2 / 6.0, org.assertj.core.data.Offset.offset(0.03));
    assertThat(counts.get(c.id()) / 6000.0)
        .isCloseTo(3 / 6.0, org.assertj.core.data.Offset.offset(0.03));
    assertThat(sequence.toString())
        .as("smooth: no run longer than the weight")
        .doesNotContain("AA", "BBB", "CCCC");
    System.out.printf(
        "distribution weights 1/2/3 over 6000 calls: %d/%d/%d%n",
        counts.get(a.id()), counts.get(b.id()), counts.get(c.id()));
  }

  /** Lets the load run for {@code more} further calls (an amount of traffic, not a time). */
  private static void awaitMoreCalls(EchoCluster.Load load, long more) {
    long target = load.calls.sum() + more;
    await().atMost(Duration.ofSeconds(60)).until(() -> load.calls.sum() >= target);
  }

  @Test
  void aNewInstanceGetsCallsSoonAfterRegisteringWithoutErrors() throws Exception {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), Duration.ofSeconds(5));
    cluster.start(1, "");
    cluster.start(1, "");
    ManagedChannel channel = cluster.channel(EchoCluster.balancer(Duration.ofSeconds(10)));
    awaitEndpoints(channel, 2, 20);
    try (EchoCluster.Load load = new EchoCluster.Load(channel, 4, 2)) {
      awaitMoreCalls(load, 100);
      var joined =
          cluster.start(1, ""); // returns once registered (its readiness includes the registry)
      long registeredAt = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> load.answersFrom(joined.id()) > 0);
      long firstCallMillis = (System.nanoTime() - registeredAt) / 1_000_000;
      // Measured, not asserted: how soon depends on the machine's load (README, "Measured").
      System.out.printf(
          "join: first call reached the new instance %d ms after it registered%n", firstCallMillis);
      awaitMoreCalls(load, 200);
      load.stop();
      assertThat(load.answersFrom(joined.id())).as("the new instance serves calls").isPositive();
      assertThat(load.failures).isEmpty();
    }
  }

  private EchoCluster.Load load;

  /**
   * Three equal instances, a client sending a steady stream from six threads; returns the third.
   */
  private EchoCluster.Instance threeInstancesUnderLoad(Duration ttl) throws InterruptedException {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), ttl);
    cluster.start(1, "");
    cluster.start(1, "");
    EchoCluster.Instance third = cluster.start(1, "");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    awaitEndpoints(channel, 3, 30);
    load = new EchoCluster.Load(channel, 6, 1);
    awaitMoreCalls(load, 100);
    return third;
  }

  @Test
  void sigtermUnderLoadLosesNoCallAndTheKeyGoesAtOnce() throws Exception {
    EchoCluster.Instance leaving = threeInstancesUnderLoad(Duration.ofSeconds(10));
    EchoCluster.Load load = this.load;
    long before = load.calls.sum();
    long stoppedAt = System.nanoTime();
    leaving.process().terminate();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !keyExists(leaving.id()));
    long keyGoneMillis = (System.nanoTime() - stoppedAt) / 1_000_000;
    assertThat(leaving.process().waitForExit(Duration.ofSeconds(20))).isZero();
    awaitMoreCalls(load, 300);
    load.stop();
    System.out.printf(
        "graceful leave: key gone %d ms after SIGTERM; %d calls during the stop, %d failed%n",
        keyGoneMillis, load.calls.sum() - before, load.failures.size());
    assertThat(load.failures).as("failed calls during a SIGTERM").isEmpty();
    assertThat(load.answersFrom(leaving.id())).as("it served until it left").isPositive();
  }

  @Test
  void sigkillUnderLoadIsRetriedAndTheKeyExpiresWithTheLease() throws Exception {
    EchoCluster.Instance crashing = threeInstancesUnderLoad(Duration.ofSeconds(3));
    EchoCluster.Load load = this.load;
    long killedAt = System.nanoTime();
    crashing.process().kill();
    crashing.process().waitForExit(Duration.ofSeconds(10));
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !keyExists(crashing.id()));
    long expiredAfter = (System.nanoTime() - killedAt) / 1_000_000;
    double picksAfterDown = picks(crashing.id());
    awaitMoreCalls(load, 300);
    load.stop();
    // Measured, not asserted: when the lease runs out depends on when its last keep-alive landed.
    System.out.printf(
        "crash: key expired %d ms after SIGKILL (ttl 3 s); %d calls, %d failed%n",
        expiredAfter, load.calls.sum(), load.failures.size());
    assertThat(load.failures).as("idempotent calls failed after a SIGKILL").isEmpty();
    assertThat(picks(crashing.id()))
        .as("no picks once its connection is down")
        .isEqualTo(picksAfterDown);
  }

  private static double picks(String instanceId) {
    return METRICS
        .find("webook.balancer.picks")
        .tag("endpoint", instanceId)
        .functionCounters()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count)
        .sum();
  }

  @Test
  void aBackendFailingEverythingGetsNoRetryStorm() throws Exception {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), Duration.ofSeconds(5));
    cluster.start(1, "", "--unavailable", "true");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    LongAdder attempts = new LongAdder();
    ClientStreamTracer.Factory counting =
        new ClientStreamTracer.Factory() {
          @Override
          public ClientStreamTracer newClientStreamTracer(
              ClientStreamTracer.StreamInfo info, Metadata headers) {
            attempts.increment();
            return new ClientStreamTracer() {};
          }
        };
    ClientInterceptor countAttempts =
        new ClientInterceptor() {
          @Override
          public <Q, R> ClientCall<Q, R> interceptCall(
              MethodDescriptor<Q, R> m, CallOptions o, Channel next) {
            return next.newCall(m, o.withStreamTracerFactory(counting));
          }
        };
    var stub = SimpleServiceGrpc.newBlockingStub(channel).withInterceptors(countAttempts);
    for (int i = 0; i < 100; i++) { // warm up: drain the retry budget
      assertThatThrownBy(() -> stub.unaryRpc(WHOAMI)).isInstanceOf(StatusRuntimeException.class);
    }
    attempts.reset();
    int calls = 500;
    for (int i = 0; i < calls; i++) {
      assertThatThrownBy(() -> stub.unaryRpc(WHOAMI))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    double ratio = attempts.sum() / (double) calls;
    System.out.printf(
        "retry budget: %d attempts for %d failing calls (%.2f)%n", attempts.sum(), calls, ratio);
    assertThat(ratio).isLessThanOrEqualTo(1.2);
  }

  @Test
  void aRuntimeWeightChangeMovesTrafficWithoutReconnecting() throws Exception {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), Duration.ofSeconds(5));
    var a = cluster.start(1, "");
    var b = cluster.start(1, "");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    awaitEndpoints(channel, 2, 20);
    double connectionsBefore = readyTransitions();

    String answer = call(channel, SimpleRequest.newBuilder().setRequestMessage("weight:3").build());
    String heavier = answer;
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              int heavy = 0;
              for (int i = 0; i < 400; i++) {
                if (call(channel, WHOAMI).equals(heavier)) {
                  heavy++;
                }
              }
              assertThat(heavy).isEqualTo(300);
            });
    assertThat(readyTransitions())
        .as("no new connection for a weight change")
        .isEqualTo(connectionsBefore);
    assertThat(List.of(a.id(), b.id())).contains(heavier);
  }

  private static double readyTransitions() {
    return METRICS
        .find("webook.balancer.connection.changes")
        .tag("state", "READY")
        .counters()
        .stream()
        .mapToDouble(io.micrometer.core.instrument.Counter::count)
        .sum();
  }

  @Test
  void routeGroupCallsLandOnTheGroupOnlyAndUntaggedCallsNeverDo() throws Exception {
    cluster = new EchoCluster(TestStack.etcdEndpoint(), Duration.ofSeconds(3));
    var a = cluster.start(1, "");
    var b = cluster.start(1, "");
    // A long drain: it deregisters, then keeps serving while clients learn it is gone.
    var canary = cluster.start(1, "canary", "--drain", "PT5S");
    ManagedChannel channel = cluster.channel(NO_SLOW_START);
    awaitEndpoints(channel, 2, 20); // untagged calls see the two ungrouped instances only
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> EchoCluster.callInGroup(channel, "canary").equals(canary.id()));
    for (int i = 0; i < 100; i++) {
      assertThat(EchoCluster.callInGroup(channel, "canary")).isEqualTo(canary.id());
      assertThat(call(channel, WHOAMI)).as("untagged").isIn(a.id(), b.id());
    }
    assertThat(EchoCluster.callInGroup(channel, "blue"))
        .as("a group nobody registered falls back to the ungrouped instances")
        .isIn(a.id(), b.id());

    canary.process().terminate();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              java.util.Set<String> seen = new java.util.HashSet<>();
              for (int i = 0; i < 20; i++) {
                seen.add(EchoCluster.callInGroup(channel, "canary"));
              }
              assertThat(seen).containsExactlyInAnyOrder(a.id(), b.id());
            });
    assertThat(canary.process().waitForExit(Duration.ofSeconds(20))).isZero();
  }
}
