package com.webook.platform.discovery;

import com.webook.platform.discovery.ServiceDirectory.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The self-protection policy of SPEC §8.2, as a pure function of time: given what was published,
 * what etcd says now and the current instant, it decides what to publish, which removed endpoints
 * to hold (marked {@link Endpoint#held()}) and until when. No clock, no thread, no I/O: the watch
 * feeds it {@code now} and schedules the next {@link #expire} at {@link Decision#graceEndsAt()}.
 *
 * <p>Why: etcd is CP. When it loses leases in bulk (wiped, restored, a partition on its side) every
 * client would see its endpoints vanish at once, although the instances still serve. An update that
 * empties the list, or removes more than {@code maxRemovalShare} of the endpoints within one grace
 * period, is therefore held back for {@code grace}; the balancer drops a held endpoint as soon as
 * its own connection fails, so a really dead instance costs nothing. Removals below the share pass
 * at once: a rolling restart must not be slowed down.
 *
 * <p>Immutable and thread-safe; the state a decision carries to the next one is the immutable
 * {@link State}.
 */
final class SelfProtection {
  private final double maxRemovalShare;
  private final Duration grace;

  /**
   * @param maxRemovalShare removing more than this share of the endpoints within {@code grace} (or
   *     all of them) holds the removals
   * @param grace how long removals are held; zero turns self-protection off
   */
  SelfProtection(double maxRemovalShare, Duration grace) {
    this.maxRemovalShare = maxRemovalShare;
    this.grace = grace;
  }

  /** How long removals are held. */
  Duration grace() {
    return grace;
  }

  /** An endpoint etcd no longer lists, kept until {@code until}. */
  record Held(Endpoint endpoint, Instant until) {}

  /**
   * What one decision hands to the next.
   *
   * @param held endpoints held by instance id
   * @param recentRemovals when each removal of the last grace period happened (oldest first)
   */
  record State(Map<String, Held> held, List<Instant> recentRemovals) {
    static final State NONE = new State(Map.of(), List.of());

    State {
      held = Map.copyOf(held);
      recentRemovals = List.copyOf(recentRemovals);
    }
  }

  /**
   * The outcome of one step.
   *
   * @param state to pass to the next step
   * @param publish the full list to publish: etcd's endpoints plus the held ones (marked held),
   *     sorted by instance id
   * @param newlyHeld how many endpoints this step started to hold (0: nothing to report)
   * @param released how many held endpoints this step let go because their grace ended
   * @param graceEndsAt when the next held endpoint's grace ends, if any is held
   */
  record Decision(
      State state,
      List<Endpoint> publish,
      int newlyHeld,
      int released,
      Optional<Instant> graceEndsAt) {}

  /**
   * etcd's view went from {@code current} to {@code next} at {@code now}.
   *
   * @param current the endpoints etcd listed before (held ones not included)
   * @param next the endpoints etcd lists now
   */
  Decision update(
      State state, Map<String, Endpoint> current, Map<String, Endpoint> next, Instant now) {
    Map<String, Held> held = new LinkedHashMap<>(state.held());
    held.keySet().removeAll(next.keySet()); // came back: etcd lists them again
    List<String> removed = new ArrayList<>();
    for (String id : current.keySet()) {
      if (!next.containsKey(id)) {
        removed.add(id);
      }
    }
    List<Instant> recent = new ArrayList<>(state.recentRemovals());
    int newlyHeld = 0;
    if (!removed.isEmpty()) {
      Instant windowStart = now.minus(grace);
      recent.removeIf(t -> t.isBefore(windowStart));
      // Shares are measured against what was there at the start of the window, so several small
      // removals in a row (a wipe seen key by key) count together.
      int baseline = current.size() + recent.size();
      boolean bulk = next.isEmpty() || recent.size() + removed.size() > maxRemovalShare * baseline;
      if (bulk && !grace.isZero()) {
        Instant until = now.plus(grace);
        for (String id : removed) {
          held.put(id, new Held(current.get(id), until));
        }
        newlyHeld = removed.size();
      }
      removed.forEach(id -> recent.add(now));
    }
    return decide(new State(held, recent), next, newlyHeld, 0);
  }

  /** Time passed: lets go of the held endpoints whose grace ended at or before {@code now}. */
  Decision expire(State state, Map<String, Endpoint> current, Instant now) {
    Map<String, Held> held = new LinkedHashMap<>(state.held());
    int before = held.size();
    held.values().removeIf(h -> !h.until().isAfter(now));
    return decide(new State(held, state.recentRemovals()), current, 0, before - held.size());
  }

  private static Decision decide(
      State state, Map<String, Endpoint> current, int newlyHeld, int released) {
    List<Endpoint> all = new ArrayList<>(current.values());
    for (Held h : state.held().values()) {
      Endpoint e = h.endpoint();
      all.add(new Endpoint(e.instanceId(), e.instance(), e.address(), true));
    }
    all.sort(Comparator.comparing(Endpoint::instanceId));
    Optional<Instant> graceEnds =
        state.held().values().stream().map(Held::until).min(Comparator.naturalOrder());
    return new Decision(state, List.copyOf(all), newlyHeld, released, graceEnds);
  }
}
