package com.webook.platform.balancer;

import com.webook.platform.balancer.SmoothWeightedRoundRobinPicker.Lane;
import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.discovery.EndpointAttributes;
import io.grpc.Attributes;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code webook_weighted_round_robin} (SPEC §8.3): one subchannel per resolved endpoint, smooth
 * weighted round robin over the READY ones with the registry weight (precomputed per picker, see
 * {@link SmoothWeightedSequence}), slow start for new endpoints, passive health (consecutive failed
 * or timed-out attempts, classified as a retrying channel really reports them in {@link
 * BalancedEndpoint#classify}, eject an endpoint for a backoff that grows on repeat, then its weight
 * is restored gradually; never more than a share of a lane ejected), lanes for {@code
 * x-route-group} (see {@link SmoothWeightedRoundRobinPicker}), and self-protection's held endpoints
 * kept only while their connection is READY.
 *
 * <p>Subchannels are keyed by address, so weight, group or metadata changes update the picker
 * without a new connection. Follows grpc-java's LoadBalancer contract: every method runs in the
 * channel's synchronization context, which also serializes our own timers and ejections. Metrics go
 * to Micrometer's global registry (the composition root adds its Prometheus registry to it),
 * because gRPC builds balancers itself.
 */
final class SmoothWeightedRoundRobinLoadBalancer extends LoadBalancer {
  private static final Logger log =
      LoggerFactory.getLogger(SmoothWeightedRoundRobinLoadBalancer.class);

  private final Helper helper;
  private final SynchronizationContext syncContext;
  private final LongSupplier clock;
  private final String service;
  private final MeterRegistry metrics = Metrics.globalRegistry;
  private final Map<List<SocketAddress>, BalancedEndpoint> endpoints = new LinkedHashMap<>();
  private final Map<BalancedEndpoint, List<Meter>> endpointMeters = new HashMap<>();

  /**
   * Held endpoints dropped because their connection failed. They stay dropped while the resolver
   * still lists them as held: it publishes the same list again on every refresh, and a dropped
   * endpoint re-created from it would fail, be dropped and ask for a refresh again, in a loop.
   */
  private final Set<List<SocketAddress>> droppedHeld = new HashSet<>();

  private SmoothWeightedRoundRobinPicker currentPicker;
  private final Gauge readyGauge;
  private WeightedRoundRobinConfig config = WeightedRoundRobinConfig.defaults();
  private SynchronizationContext.ScheduledHandle rampTimer;
  private Status lastError = Status.UNAVAILABLE.withDescription("no endpoint connected yet");
  private int usableCount;
  private boolean shutdown;

  SmoothWeightedRoundRobinLoadBalancer(Helper helper, LongSupplier clock) {
    this.helper = helper;
    this.syncContext = helper.getSynchronizationContext();
    this.clock = clock;
    this.service = helper.getAuthority();
    this.readyGauge =
        Gauge.builder("webook.balancer.ready.endpoints", this, lb -> lb.usableCount)
            .tags("service", service)
            .register(metrics);
  }

  @Override
  public Status acceptResolvedAddresses(ResolvedAddresses resolved) {
    if (resolved.getLoadBalancingPolicyConfig() instanceof WeightedRoundRobinConfig c) {
      config = c;
      endpoints.values().forEach(e -> e.failureThreshold = c.failureThreshold());
    }
    List<EquivalentAddressGroup> groups = resolved.getAddresses();
    if (groups.isEmpty()) {
      droppedHeld.clear();
      Status status = Status.UNAVAILABLE.withDescription("no instances of " + service);
      handleNameResolutionError(status);
      return status;
    }
    Set<List<SocketAddress>> seen = new HashSet<>();
    Set<List<SocketAddress>> stillHeld = new HashSet<>();
    for (EquivalentAddressGroup eag : groups) {
      List<SocketAddress> key = eag.getAddresses();
      if (droppedHeld.contains(key)
          && Boolean.TRUE.equals(eag.getAttributes().get(EndpointAttributes.HELD))) {
        // Its connection failed already: only a registration (not held) brings it back.
        stillHeld.add(key);
        continue;
      }
      seen.add(key);
      BalancedEndpoint e = endpoints.get(key);
      if (e == null) {
        e = newEndpoint(eag);
        endpoints.put(key, e);
      }
      Attributes a = eag.getAttributes();
      e.instanceId = orDefault(a.get(EndpointAttributes.INSTANCE_ID), key.toString());
      e.weight = Math.max(1, orDefault(a.get(EndpointAttributes.WEIGHT), 1));
      e.group = orDefault(a.get(EndpointAttributes.GROUP), "");
      e.startTs = orDefault(a.get(EndpointAttributes.START_TS), 0L);
      e.held = Boolean.TRUE.equals(a.get(EndpointAttributes.HELD));
      if (e.held && e.state == ConnectivityState.TRANSIENT_FAILURE) {
        seen.remove(key); // held by self-protection, but its connection fails too: drop it
        stillHeld.add(key);
      }
    }
    droppedHeld.clear();
    droppedHeld.addAll(stillHeld);
    endpoints
        .entrySet()
        .removeIf(
            entry -> {
              if (seen.contains(entry.getKey())) {
                return false;
              }
              removeEndpoint(entry.getValue());
              return true;
            });
    updatePicker();
    return Status.OK;
  }

  @Override
  public void handleNameResolutionError(Status error) {
    lastError = error;
    if (usableCount == 0) {
      // Without any working endpoint, fail calls with the resolver's reason; with some, keep
      // serving from the last list (stale but available).
      helper.updateBalancingState(
          ConnectivityState.TRANSIENT_FAILURE, new FixedResultPicker(PickResult.withError(error)));
    }
  }

  @Override
  public void requestConnection() {
    endpoints.values().forEach(e -> e.subchannel.requestConnection());
  }

  @Override
  public void shutdown() {
    shutdown = true;
    if (currentPicker != null) {
      currentPicker.retire();
    }
    cancelRamp();
    endpoints.values().forEach(this::removeEndpoint);
    endpoints.clear();
    metrics.remove(readyGauge);
  }

  private BalancedEndpoint newEndpoint(EquivalentAddressGroup eag) {
    Subchannel subchannel =
        helper.createSubchannel(CreateSubchannelArgs.newBuilder().setAddresses(eag).build());
    BalancedEndpoint e =
        new BalancedEndpoint(
            subchannel, config.failureThreshold(), ep -> syncContext.execute(() -> maybeEject(ep)));
    subchannel.start(info -> onStateChange(e, info));
    subchannel.requestConnection();
    String instance =
        orDefault(
            eag.getAttributes().get(EndpointAttributes.INSTANCE_ID), eag.getAddresses().toString());
    Tags tags = Tags.of("service", service, "endpoint", instance);
    endpointMeters.put(
        e,
        List.of(
            FunctionCounter.builder("webook.balancer.picks", e, ep -> ep.attempts.sum())
                .tags(tags)
                .register(metrics)));
    return e;
  }

  private void removeEndpoint(BalancedEndpoint e) {
    e.subchannel.shutdown();
    List<Meter> meters = endpointMeters.remove(e);
    if (meters != null) {
      meters.forEach(metrics::remove);
    }
  }

  private void onStateChange(BalancedEndpoint e, ConnectivityStateInfo info) {
    if (shutdown || !endpoints.containsValue(e)) {
      return;
    }
    ConnectivityState previous = e.state;
    e.state = info.getState();
    if (e.state == ConnectivityState.READY) {
      e.failedSinceReady = false;
    }
    Counter.builder("webook.balancer.connection.changes")
        .tags(
            "service",
            service,
            "state",
            info.getState().name(),
            "reason",
            info.getStatus().getCode().name())
        .register(metrics)
        .increment();
    switch (info.getState()) {
      case TRANSIENT_FAILURE -> {
        e.failedSinceReady = true;
        e.lastFailure = info.getStatus();
        lastError = info.getStatus();
        if (e.held) {
          log.info(
              "{}: dropping held endpoint {}: its connection fails too", service, e.instanceId);
          List<SocketAddress> key = e.subchannel.getAllAddresses().get(0).getAddresses();
          endpoints.remove(key);
          droppedHeld.add(key);
          removeEndpoint(e);
        }
        helper.refreshNameResolution();
      }
      case IDLE -> e.subchannel.requestConnection(); // keep a connection to every endpoint
      case SHUTDOWN -> {
        return;
      }
      default -> {}
    }
    if (previous != e.state) {
      updatePicker();
    }
  }

  /** Passive health: called in the sync context when an endpoint reaches the failure threshold. */
  private void maybeEject(BalancedEndpoint e) {
    if (shutdown || !endpoints.containsValue(e) || e.ejected) {
      return;
    }
    long now = clock.getAsLong();
    // The share is per lane: each lane is its own pool of capacity, and ejecting a lone canary
    // would fail its calls rather than move them.
    long laneSize = endpoints.values().stream().filter(x -> x.group.equals(e.group)).count();
    long ejectedNow =
        endpoints.values().stream().filter(x -> x.group.equals(e.group) && x.ejected).count();
    if (ejectedNow + 1 > Math.floor(config.maxEjectionShare() * laneSize)) {
      log.warn(
          "{}: {} keeps failing but {} of {} endpoints of its lane are already ejected; not"
              + " ejecting it",
          service,
          e.instanceId,
          ejectedNow,
          laneSize);
      return;
    }
    if (now - e.lastEjectionAt > 10 * config.maxEjection().toMillis()) {
      e.ejections = 0; // it behaved for a long time: start the backoff afresh
    }
    e.ejections++;
    long period =
        Math.min(
            config.maxEjection().toMillis(),
            config.baseEjection().toMillis() << Math.min(e.ejections - 1, 16));
    e.ejected = true;
    e.ejectedUntil = now + period;
    e.lastEjectionAt = now;
    Counter.builder("webook.balancer.ejections")
        .tags("service", service, "endpoint", e.instanceId)
        .register(metrics)
        .increment();
    log.warn(
        "{}: ejecting {} for {} ms after {} consecutive failures",
        service,
        e.instanceId,
        period,
        config.failureThreshold());
    syncContext.schedule(
        () -> restore(e), period, TimeUnit.MILLISECONDS, helper.getScheduledExecutorService());
    updatePicker();
  }

  private void restore(BalancedEndpoint e) {
    if (shutdown || !e.ejected) {
      return;
    }
    e.ejected = false;
    e.consecutiveFailures.set(0);
    e.restoreStart = clock.getAsLong();
    log.info("{}: restoring {} gradually over {}", service, e.instanceId, config.restoreWindow());
    updatePicker();
  }

  private void updatePicker() {
    if (shutdown) {
      return;
    }
    long now = clock.getAsLong();
    Map<String, List<BalancedEndpoint>> lanes = new LinkedHashMap<>();
    lanes.put("", new ArrayList<>());
    for (BalancedEndpoint e : endpoints.values()) {
      lanes.computeIfAbsent(e.group, g -> new ArrayList<>()).add(e);
    }
    if (currentPicker != null) {
      currentPicker.retire(); // carries the current weights over before the next picker reads them
      currentPicker = null;
    }
    boolean anyConnecting = false;
    boolean ramping = false;
    int usable = 0;
    Lane ungrouped = null;
    Map<String, Lane> groups = new HashMap<>();
    for (Iterator<Map.Entry<String, List<BalancedEndpoint>>> it = lanes.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, List<BalancedEndpoint>> lane = it.next();
      List<BalancedEndpoint> ready = new ArrayList<>();
      boolean connecting = false;
      Status failure = null;
      for (BalancedEndpoint e : lane.getValue()) {
        if (e.isUsable(now)) {
          ready.add(e);
          ramping |= e.isRamping(now, config);
        } else if (e.isConnecting()) {
          connecting = true;
        } else if (!e.lastFailure.isOk()) {
          failure = e.lastFailure;
        }
      }
      usable += ready.size();
      anyConnecting |= connecting;
      Lane built;
      if (!ready.isEmpty()) {
        built = Lane.of(sequence(ready, now));
      } else if (connecting) {
        built = Lane.waiting();
      } else {
        built = Lane.failing(laneFailure(lane.getKey(), lane.getValue().isEmpty(), failure));
      }
      if (lane.getKey().isEmpty()) {
        ungrouped = built;
      } else {
        groups.put(lane.getKey(), built);
      }
    }
    usableCount = usable;
    currentPicker =
        new SmoothWeightedRoundRobinPicker(service, ungrouped, groups, config.groupFallback());
    if (usable > 0) {
      helper.updateBalancingState(ConnectivityState.READY, currentPicker);
    } else if (anyConnecting) {
      helper.updateBalancingState(ConnectivityState.CONNECTING, currentPicker);
    } else if (endpoints.isEmpty()) {
      helper.updateBalancingState(
          ConnectivityState.TRANSIENT_FAILURE,
          new FixedResultPicker(
              PickResult.withError(
                  Status.UNAVAILABLE.withDescription("no instances of " + service))));
    } else {
      helper.updateBalancingState(ConnectivityState.TRANSIENT_FAILURE, currentPicker);
    }
    scheduleRamp(ramping);
  }

  /** Why calls of a lane without a usable endpoint fail. */
  private Status laneFailure(String group, boolean noEndpoint, Status endpointFailure) {
    if (noEndpoint) {
      // Only the ungrouped lane can be empty (a group lane exists because an endpoint has it).
      return Status.UNAVAILABLE.withDescription(
          "no instances of "
              + service
              + " without a group (a call without x-route-group never goes to a group)");
    }
    Status cause = endpointFailure != null ? endpointFailure : lastError;
    String lane = group.isEmpty() ? "" : " in group " + group;
    return Status.UNAVAILABLE
        .withDescription("no ready instance of " + service + lane + ": " + cause.getDescription())
        .withCause(cause.getCause());
  }

  private SmoothWeightedSequence sequence(List<BalancedEndpoint> members, long now) {
    BalancedEndpoint[] eps = members.toArray(BalancedEndpoint[]::new);
    int[] weights = new int[eps.length];
    for (int i = 0; i < eps.length; i++) {
      weights[i] = eps[i].effectiveWeight(now, config);
    }
    return SmoothWeightedSequence.of(eps, weights);
  }

  /** While a weight ramps (slow start, restore), rebuild the picker every tenth of the window. */
  private void scheduleRamp(boolean ramping) {
    if (!ramping) {
      cancelRamp();
      return;
    }
    if (rampTimer != null && rampTimer.isPending()) {
      return;
    }
    long step =
        Math.max(
            200,
            Math.min(config.slowStartWindow().toMillis(), config.restoreWindow().toMillis()) / 10);
    rampTimer =
        syncContext.schedule(
            this::updatePicker, step, TimeUnit.MILLISECONDS, helper.getScheduledExecutorService());
  }

  private void cancelRamp() {
    if (rampTimer != null) {
      rampTimer.cancel();
      rampTimer = null;
    }
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
