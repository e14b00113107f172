package com.webook.platform.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.config.WeightedRoundRobinConfig.GroupFallback;
import com.webook.platform.discovery.EndpointAttributes;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientStreamTracer;
import io.grpc.ConnectivityState;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.PickResult;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmoothWeightedRoundRobinLoadBalancerTest {
  private static final Metadata NO_HEADERS = new Metadata();
  private final FakeHelper helper = new FakeHelper();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final SmoothWeightedRoundRobinLoadBalancer lb =
      new SmoothWeightedRoundRobinLoadBalancer(helper, clock::get);
  private WeightedRoundRobinConfig config =
      new WeightedRoundRobinConfig(
          Duration.ZERO,
          0.1,
          3,
          Duration.ofMillis(300),
          Duration.ofSeconds(5),
          0.5,
          Duration.ZERO,
          GroupFallback.UNGROUPED);

  @AfterEach
  void tearDown() {
    helper.syncContext.execute(lb::shutdown);
    helper.scheduler.shutdownNow();
  }

  /** An endpoint named by a letter; its port encodes the letter so picks can be read back. */
  record Ep(String name, int weight, String group, long startTs, boolean held) {
    static Ep of(String name, int weight) {
      return new Ep(name, weight, "", 0, false);
    }

    int port() {
      return 20000 + name.charAt(0);
    }

    EquivalentAddressGroup eag() {
      return FakeHelper.address(
          port(),
          Attributes.newBuilder()
              .set(EndpointAttributes.INSTANCE_ID, name)
              .set(EndpointAttributes.WEIGHT, weight)
              .set(EndpointAttributes.GROUP, group)
              .set(EndpointAttributes.START_TS, startTs)
              .set(EndpointAttributes.HELD, held)
              .build());
    }
  }

  private Status resolve(Ep... eps) {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (Ep e : eps) {
      groups.add(e.eag());
    }
    Status[] result = new Status[1];
    helper.syncContext.execute(
        () ->
            result[0] =
                lb.acceptResolvedAddresses(
                    LoadBalancer.ResolvedAddresses.newBuilder()
                        .setAddresses(groups)
                        .setLoadBalancingPolicyConfig(config)
                        .build()));
    return result[0];
  }

  private static String name(PickResult r) {
    int port =
        ((InetSocketAddress) r.getSubchannel().getAllAddresses().get(0).getAddresses().get(0))
            .getPort();
    return String.valueOf((char) (port - 20000));
  }

  private String pick(Metadata headers) {
    PickResult r = helper.picker.pickSubchannel(new Args(headers));
    assertThat(r.getStatus().isOk()).as("pick status %s", r.getStatus()).isTrue();
    assertThat(r.getSubchannel()).isNotNull();
    return name(r);
  }

  private String picks(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(pick(NO_HEADERS));
    }
    return sb.toString();
  }

  private FakeHelper.FakeSubchannel subchannel(String name) {
    int port = 20000 + name.charAt(0);
    return helper.created.stream()
        .filter(s -> ((InetSocketAddress) s.address()).getPort() == port && !s.shutdown)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void weights511GiveTheNginxSequence() {
    resolve(Ep.of("A", 5), Ep.of("B", 1), Ep.of("C", 1));
    assertThat(helper.state).isEqualTo(ConnectivityState.READY);
    assertThat(picks(21)).isEqualTo("AABACAA".repeat(3));
  }

  @Test
  void theSequenceNeverGivesAnEndpointMoreThanItsWeightInARowWithinACycle() {
    resolve(Ep.of("A", 1), Ep.of("B", 2), Ep.of("C", 3));
    String seq = picks(6 * 50);
    for (int cycle = 0; cycle < 50; cycle++) {
      String c = seq.substring(cycle * 6, cycle * 6 + 6);
      assertThat(c.chars().filter(ch -> ch == 'A').count()).isEqualTo(1);
      assertThat(c.chars().filter(ch -> ch == 'B').count()).isEqualTo(2);
      assertThat(c.chars().filter(ch -> ch == 'C').count()).isEqualTo(3);
    }
    assertThat(seq).doesNotContain("CCC", "BBB", "AA");
  }

  @Test
  void sharesAreExactWith64ThreadsPicking() throws Exception {
    resolve(Ep.of("A", 5), Ep.of("B", 3), Ep.of("C", 2));
    Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    int threads = 64;
    int perThread = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> pickers = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        pickers.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    counts.computeIfAbsent(pick(NO_HEADERS), k -> new LongAdder()).increment();
                  }
                  return null;
                }));
      }
      start.countDown();
    }
    for (Future<?> picker : pickers) {
      picker.get(); // a picker thread that failed fails the test
    }
    double total = threads * perThread;
    assertThat(counts.get("A").sum() / total)
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts.get("B").sum() / total)
        .isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.01));
    assertThat(counts.get("C").sum() / total)
        .isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
    // Exact, in fact: 320 000 picks are 32 000 whole cycles of 10.
    assertThat(counts.get("A").sum()).isEqualTo(160_000);
  }

  @Test
  void addingAndRemovingAnEndpointKeepsTheOthersCurrentWeights() {
    resolve(Ep.of("A", 5), Ep.of("B", 1), Ep.of("C", 1));
    NginxReference ref = new NginxReference();
    ref.set("A", 5).set("B", 1).set("C", 1);
    assertThat(picks(3)).isEqualTo(ref.next(3)).isEqualTo("AAB");

    resolve(Ep.of("A", 5), Ep.of("B", 1), Ep.of("C", 1), Ep.of("D", 2));
    ref.set("D", 2);
    assertThat(picks(27)).isEqualTo(ref.next(27));

    resolve(Ep.of("A", 5), Ep.of("C", 1), Ep.of("D", 2));
    ref.remove("B");
    assertThat(picks(24)).isEqualTo(ref.next(24));
    assertThat(helper.created).hasSize(4);
  }

  @Test
  void aWeightChangeReachesThePickerWithoutANewConnection() {
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    assertThat(picks(4)).isEqualTo("ABAB");
    resolve(Ep.of("A", 3), Ep.of("B", 1));
    String seq = picks(40);
    assertThat(seq.chars().filter(c -> c == 'A').count()).isEqualTo(30);
    assertThat(helper.created).as("no new subchannel").hasSize(2);
    assertThat(helper.created).allSatisfy(s -> assertThat(s.shutdown).isFalse());
  }

  @Test
  void onlyReadyEndpointsArePickedAndFailuresAskForRefresh() {
    helper.autoConnect = false;
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    assertThat(helper.state).isEqualTo(ConnectivityState.CONNECTING);
    assertThat(helper.picker.pickSubchannel(new Args(NO_HEADERS)).hasResult())
        .as("calls wait while connecting")
        .isFalse();
    helper.syncContext.execute(() -> subchannel("A").setState(ConnectivityState.READY));
    assertThat(picks(5)).isEqualTo("AAAAA");
    helper.syncContext.execute(() -> subchannel("B").setState(ConnectivityState.TRANSIENT_FAILURE));
    assertThat(helper.refreshes).isEqualTo(1);
    helper.syncContext.execute(() -> subchannel("B").setState(ConnectivityState.READY));
    assertThat(picks(4)).isEqualTo("ABAB");
    helper.syncContext.execute(
        () -> {
          subchannel("A").setState(ConnectivityState.TRANSIENT_FAILURE);
          subchannel("B").setState(ConnectivityState.TRANSIENT_FAILURE);
        });
    assertThat(helper.state).isEqualTo(ConnectivityState.TRANSIENT_FAILURE);
    PickResult failed = helper.picker.pickSubchannel(new Args(NO_HEADERS));
    assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failed.getStatus().getDescription()).contains("no ready instance of test-service");
  }

  @Test
  void anIdleSubchannelIsReconnected() {
    resolve(Ep.of("A", 1));
    int before = subchannel("A").connectionRequests;
    helper.syncContext.execute(() -> subchannel("A").setState(ConnectivityState.IDLE));
    assertThat(subchannel("A").connectionRequests).isEqualTo(before + 1);
  }

  @Test
  void emptyListAndResolutionErrors() {
    assertThat(resolve().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(helper.picker.pickSubchannel(new Args(NO_HEADERS)).getStatus().getDescription())
        .isEqualTo("no instances of test-service");

    resolve(Ep.of("A", 1));
    helper.syncContext.execute(
        () -> lb.handleNameResolutionError(Status.UNAVAILABLE.withDescription("etcd down")));
    assertThat(picks(2)).as("a resolver error keeps the working endpoints").isEqualTo("AA");
  }

  @Test
  void consecutiveFailuresEjectTheEndpointWhichComesBackLater() {
    resolve(Ep.of("A", 1), Ep.of("B", 1), Ep.of("C", 1), Ep.of("D", 1));
    PickResult a = pickResultOf("A");
    fail(a, Status.UNAVAILABLE, 2);
    close(a, Status.OK); // a success resets the count
    fail(a, Status.DEADLINE_EXCEEDED, 2);
    assertThat(picks(30)).contains("A");
    fail(a, Status.UNAVAILABLE, 1); // third in a row
    assertThat(picks(30)).doesNotContain("A");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(picks(8)).contains("A"));
  }

  @Test
  void neverEjectsMoreThanTheConfiguredShare() {
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    fail(pickResultOf("A"), Status.UNAVAILABLE, 3);
    fail(pickResultOf("B"), Status.UNAVAILABLE, 3);
    String seq = picks(10);
    assertThat(seq).as("one of two may be ejected (share 0.5), never both").hasSize(10);
    assertThat(seq.chars().distinct().count()).isEqualTo(1);
  }

  @Test
  void restoreAfterEjectionIsGradual() {
    config =
        new WeightedRoundRobinConfig(
            Duration.ZERO,
            0.1,
            1,
            Duration.ofMillis(100),
            Duration.ofSeconds(1),
            0.5,
            Duration.ofSeconds(100),
            GroupFallback.UNGROUPED);
    resolve(Ep.of("A", 10), Ep.of("B", 10), Ep.of("C", 10));
    fail(pickResultOf("A"), Status.UNAVAILABLE, 1);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(picks(21)).contains("A"));
    // Back at 10 % of its weight: 1 of every 21 picks, not 1 of 3.
    String seq = picks(210);
    assertThat(seq.chars().filter(c -> c == 'A').count()).isEqualTo(10);
    clock.addAndGet(Duration.ofSeconds(100).toMillis());
    resolve(Ep.of("A", 10), Ep.of("B", 10), Ep.of("C", 10));
    assertThat(picks(300).chars().filter(c -> c == 'A').count()).isEqualTo(100);
  }

  @Test
  void slowStartRampsUpANewEndpoint() {
    config =
        new WeightedRoundRobinConfig(
            Duration.ofSeconds(10),
            0.1,
            3,
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            0.5,
            Duration.ZERO,
            GroupFallback.UNGROUPED);
    long now = clock.get();
    resolve(new Ep("A", 10, "", now - 60_000, false), new Ep("B", 10, "", now, false));
    assertThat(count(picks(110), 'B')).as("10 %% of its weight at start").isEqualTo(10);
    clock.addAndGet(5_000);
    resolve(new Ep("A", 10, "", now - 60_000, false), new Ep("B", 10, "", now, false));
    assertThat(count(picks(150), 'B')).as("half way").isEqualTo(50);
    clock.addAndGet(5_000);
    resolve(new Ep("A", 10, "", now - 60_000, false), new Ep("B", 10, "", now, false));
    assertThat(count(picks(200), 'B')).isEqualTo(100);
  }

  private static Metadata group(String name) {
    Metadata m = new Metadata();
    m.put(SmoothWeightedRoundRobinPicker.ROUTE_GROUP, name);
    return m;
  }

  private String picks(int n, Metadata headers) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(pick(headers));
    }
    return sb.toString();
  }

  private PickResult rawPick(Metadata headers) {
    return helper.picker.pickSubchannel(new Args(headers));
  }

  @Test
  void aGroupGetsOnlyItsCallsAndUntaggedCallsNeverReachIt() {
    resolve(Ep.of("A", 1), Ep.of("B", 1), new Ep("C", 1, "canary", 0, false));
    assertThat(picks(20, group("canary"))).isEqualTo("C".repeat(20));
    assertThat(picks(30))
        .as("a call without x-route-group goes only to ungrouped endpoints")
        .doesNotContain("C")
        .contains("A", "B");
    assertThat(picks(4, group("blue")))
        .as("no endpoint of group blue registered: ungrouped fallback")
        .doesNotContain("C")
        .contains("A", "B");
  }

  @Test
  void theFirstMomentsOfACanaryItsCallsWaitUntilItIsReadyThenAllGoToIt() {
    helper.autoConnect = false;
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    helper.syncContext.execute(
        () -> {
          subchannel("A").setState(ConnectivityState.READY);
          subchannel("B").setState(ConnectivityState.READY);
        });
    // The canary registers; its connection is being set up.
    resolve(Ep.of("A", 1), Ep.of("B", 1), new Ep("C", 1, "canary", 0, false));
    helper.syncContext.execute(() -> subchannel("C").setState(ConnectivityState.CONNECTING));
    assertThat(helper.state).isEqualTo(ConnectivityState.READY);
    for (int i = 0; i < 10; i++) {
      PickResult r = rawPick(group("canary"));
      assertThat(r.hasResult()).as("a canary call waits for the canary, no leak").isFalse();
      assertThat(r.getStatus().isOk()).isTrue();
    }
    assertThat(picks(10)).doesNotContain("C");

    helper.syncContext.execute(() -> subchannel("C").setState(ConnectivityState.READY));
    assertThat(picks(20, group("canary"))).isEqualTo("C".repeat(20));
    assertThat(picks(30)).doesNotContain("C");
  }

  @Test
  void aGroupWhoseEndpointsFailFailsItsCallsAndFallsBackOnlyOnceNoneIsRegistered() {
    resolve(Ep.of("A", 1), Ep.of("B", 1), new Ep("C", 1, "canary", 0, false));
    helper.syncContext.execute(() -> subchannel("C").setState(ConnectivityState.TRANSIENT_FAILURE));
    PickResult failed = rawPick(group("canary"));
    assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failed.getStatus().getDescription())
        .startsWith("no ready instance of test-service in group canary");
    // Reconnecting after a failure stays failing (sticky), rather than making calls wait.
    helper.syncContext.execute(() -> subchannel("C").setState(ConnectivityState.CONNECTING));
    assertThat(rawPick(group("canary")).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(picks(10)).doesNotContain("C");

    resolve(Ep.of("A", 1), Ep.of("B", 1)); // the canary deregistered
    assertThat(picks(10, group("canary"))).contains("A", "B");
  }

  @Test
  void groupFallbackFailRejectsCallsForAGroupWithoutInstances() {
    config = withFallback(GroupFallback.FAIL);
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    PickResult r = rawPick(group("canary"));
    assertThat(r.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(r.getStatus().getDescription())
        .isEqualTo("no instances of test-service in group canary");
    assertThat(picks(4)).isEqualTo("ABAB");
    resolve(Ep.of("A", 1), Ep.of("B", 1), new Ep("C", 1, "canary", 0, false));
    assertThat(picks(3, group("canary"))).isEqualTo("CCC");
  }

  @Test
  void untaggedCallsFailWhenOnlyGroupedInstancesExist() {
    resolve(new Ep("C", 1, "canary", 0, false));
    PickResult r = rawPick(NO_HEADERS);
    assertThat(r.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(r.getStatus().getDescription()).startsWith("no instances of test-service without");
    assertThat(picks(2, group("canary"))).isEqualTo("CC");
  }

  @Test
  void eachLaneKeepsItsOwnSequenceState() {
    resolve(
        Ep.of("A", 5),
        Ep.of("B", 1),
        Ep.of("C", 1),
        new Ep("X", 2, "canary", 0, false),
        new Ep("Y", 1, "canary", 0, false));
    StringBuilder ungrouped = new StringBuilder();
    StringBuilder canary = new StringBuilder();
    for (int i = 0; i < 21; i++) {
      ungrouped.append(pick(NO_HEADERS));
      canary.append(pick(group("canary")));
    }
    assertThat(ungrouped.toString()).isEqualTo("AABACAA".repeat(3));
    assertThat(canary.toString()).isEqualTo("XYX".repeat(7));
  }

  @Test
  void aLoneCanaryIsNeverEjected() {
    resolve(Ep.of("A", 1), Ep.of("B", 1), new Ep("C", 1, "canary", 0, false));
    fail(rawPick(group("canary")), Status.UNAVAILABLE, 6);
    assertThat(picks(5, group("canary")))
        .as("ejecting the only endpoint of a lane would fail its calls, not move them")
        .isEqualTo("CCCCC");
  }

  private WeightedRoundRobinConfig withFallback(GroupFallback fallback) {
    return new WeightedRoundRobinConfig(
        config.slowStartWindow(),
        config.slowStartMinFactor(),
        config.failureThreshold(),
        config.baseEjection(),
        config.maxEjection(),
        config.maxEjectionShare(),
        config.restoreWindow(),
        fallback);
  }

  @Test
  void heldEndpointsServeWhileConnectedAndGoWhenTheirConnectionFails() {
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    resolve(new Ep("A", 1, "", 0, true), new Ep("B", 1, "", 0, true)); // etcd emptied: held
    assertThat(picks(4)).isEqualTo("ABAB");
    helper.syncContext.execute(() -> subchannel("A").setState(ConnectivityState.TRANSIENT_FAILURE));
    assertThat(helper.created.get(0).shutdown).as("held + failing → dropped").isTrue();
    assertThat(picks(4)).isEqualTo("BBBB");
  }

  @Test
  void aDroppedHeldEndpointStaysDroppedWhenTheSameListIsPublishedAgain() {
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    Ep heldA = new Ep("A", 1, "", 0, true);
    Ep heldB = new Ep("B", 1, "", 0, true);
    resolve(heldA, heldB); // etcd emptied: held
    int refreshes = helper.refreshes;
    helper.syncContext.execute(() -> subchannel("A").setState(ConnectivityState.TRANSIENT_FAILURE));
    assertThat(helper.refreshes)
        .as("the failure asks the resolver to refresh")
        .isGreaterThan(refreshes);
    // Within refreshMinInterval the directory answers a refresh by publishing the same list again
    // (A still held): A must not come back as a new connection, which would fail, be dropped, ask
    // for a refresh, and so on (seen live: thousands of connection attempts a second for the whole
    // self-protection grace).
    resolve(heldA, heldB);
    resolve(heldA, heldB);
    assertThat(
            helper.created.stream()
                .filter(sc -> sc.address().equals(heldA.eag().getAddresses().get(0))))
        .as("subchannels ever created for A")
        .hasSize(1);
    assertThat(picks(4)).isEqualTo("BBBB");

    // Once etcd lists A again (re-registered, no longer held), it is connected again.
    resolve(Ep.of("A", 1), heldB);
    assertThat(picks(4)).contains("A");
  }

  @Test
  void shutdownReleasesEverySubchannel() {
    resolve(Ep.of("A", 1), Ep.of("B", 1));
    helper.syncContext.execute(lb::shutdown);
    assertThat(helper.created).allSatisfy(s -> assertThat(s.shutdown).isTrue());
  }

  private PickResult pickResultOf(String name) {
    for (int i = 0; i < 100; i++) {
      PickResult r = helper.picker.pickSubchannel(new Args(NO_HEADERS));
      if (name(r).equals(name)) {
        return r;
      }
    }
    throw new AssertionError(name + " never picked");
  }

  private static void fail(PickResult r, Status status, int times) {
    for (int i = 0; i < times; i++) {
      close(r, status);
    }
  }

  private static void close(PickResult r, Status status) {
    ClientStreamTracer tracer =
        r.getStreamTracerFactory()
            .newClientStreamTracer(
                ClientStreamTracer.StreamInfo.newBuilder().build(), new Metadata());
    tracer.streamClosed(status);
  }

  private static long count(String s, char c) {
    return s.chars().filter(x -> x == c).count();
  }

  /** The algorithm as nginx writes it, to compare against. */
  static final class NginxReference {
    final Map<String, Integer> weights = new LinkedHashMap<>();
    final Map<String, Integer> current = new HashMap<>();

    NginxReference set(String name, int weight) {
      weights.put(name, weight);
      current.putIfAbsent(name, 0);
      return this;
    }

    void remove(String name) {
      weights.remove(name);
    }

    String next(int n) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int total = 0;
        String best = null;
        for (var e : weights.entrySet()) {
          int cw = current.merge(e.getKey(), e.getValue(), Integer::sum);
          total += e.getValue();
          if (best == null || cw > current.get(best)) {
            best = e.getKey();
          }
        }
        current.merge(best, -total, Integer::sum);
        sb.append(best);
      }
      return sb.toString();
    }
  }

  /** Minimal pick arguments: the headers are what group routing reads. */
  static final class Args extends LoadBalancer.PickSubchannelArgs {
    private final Metadata headers;

    Args(Metadata headers) {
      this.headers = headers;
    }

    @Override
    public CallOptions getCallOptions() {
      return CallOptions.DEFAULT;
    }

    @Override
    public Metadata getHeaders() {
      return headers;
    }

    @Override
    public MethodDescriptor<?, ?> getMethodDescriptor() {
      return null;
    }
  }
}
