package com.webook.platform.balancer;

import io.grpc.LoadBalancer.PickResult;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * nginx's smooth weighted round robin over a fixed set of endpoints, precomputed: each step adds
 * every endpoint's weight to its current weight, takes the largest (the first one on ties) and
 * subtracts the total from it. Weights {5,1,1} give A A B A C A A.
 *
 * <p>The algorithm is a deterministic function of the current weights, so the whole future of a
 * picker is known when it is built. From all-zero current weights the sequence repeats every {@code
 * sum(weights) / gcd(weights)} steps (the period). From current weights carried over from an
 * earlier picker (an endpoint came or went, a weight changed, a ramp moved on) it may first run a
 * short transient before it settles into a cycle of that same length. This class finds that
 * transient (two simulations {@code period} steps apart until their states meet), stores transient
 * + cycle (the cycle repeated to at least {@value #MIN_STEPS} steps) as an array of cached pick
 * results, and hands them out through one atomic cursor: a pick is one {@code getAndIncrement} and
 * one array read, with no lock and no allocation, and every pick is exactly one step of the
 * algorithm (shares are exact under any concurrency). At the end of the array the one picker that
 * draws exactly the array length moves the cursor back by the cycle span; the others map their
 * index into the cycle.
 *
 * <p>When the balancer replaces this sequence, {@link #retire()} writes the current weights at the
 * cursor back into the endpoints, so the next sequence continues exactly where the picks stopped.
 * Two cases give up that continuity and start from all-zero current weights, as nginx does on a
 * reload: weights whose period exceeds {@value #MAX_STEPS} steps (they are scaled down to fit,
 * which makes shares exact to about 1/{@value #MAX_STEPS}), and a transient that would not settle
 * within {@value #MAX_STEPS} steps (current weights far larger than the new weights, after a big
 * weight cut).
 *
 * <p>Threading: built and retired in the synchronization context; {@link #next()} from any thread.
 * Picks that race with {@link #retire()} on a picker being replaced are still answered, but do not
 * move the carried-over state.
 */
final class SmoothWeightedSequence {
  /** Most steps precomputed for one lane of one picker (16 Ki: 64 KiB of references). */
  static final int MAX_STEPS = 1 << 14;

  /** The cycle is repeated to at least this length, so the cursor rarely wraps. */
  static final int MIN_STEPS = 256;

  private final BalancedEndpoint[] endpoints;
  private final long[] weights;
  private final long total;
  private final long[] start;
  private final int[] picked; // endpoint index per step, transient + one cycle
  private final int prefix;
  private final int period;
  private final int span;
  private final PickResult[] steps;
  private final AtomicInteger cursor = new AtomicInteger();

  private SmoothWeightedSequence(
      BalancedEndpoint[] endpoints, long[] weights, long[] start, int[] picked, int period) {
    this.endpoints = endpoints;
    this.weights = weights;
    this.total = Arrays.stream(weights).sum();
    this.start = start;
    this.picked = picked;
    this.period = period;
    this.prefix = picked.length - period;
    int repeats = Math.max(1, Math.ceilDiv(MIN_STEPS - prefix, period));
    this.span = period * repeats;
    this.steps = new PickResult[prefix + span];
    for (int j = 0; j < steps.length; j++) {
      steps[j] =
          endpoints[picked[j < picked.length ? j : prefix + (j - prefix) % period]].pickResult;
    }
  }

  /**
   * The sequence over {@code endpoints} with these effective weights (each ≥ 1), continuing from
   * the endpoints' current weights.
   */
  static SmoothWeightedSequence of(BalancedEndpoint[] endpoints, int[] effectiveWeights) {
    int n = endpoints.length;
    long[] w = new long[n];
    for (int i = 0; i < n; i++) {
      w[i] = Math.max(1, effectiveWeights[i]);
    }
    long[] start = new long[n];
    boolean carry = true;
    if (period(w) > MAX_STEPS) {
      w = scaled(w, MAX_STEPS / 2);
      carry = false; // the old current weights are in other units
    }
    if (carry) {
      for (int i = 0; i < n; i++) {
        start[i] = endpoints[i].currentWeight;
      }
    }
    int period = (int) period(w);
    int[] picked = simulate(start, w, period, MAX_STEPS);
    if (picked == null) {
      Arrays.fill(start, 0);
      picked = simulate(start, w, period, MAX_STEPS); // from zero: periodic at once
    }
    return new SmoothWeightedSequence(endpoints, w, start, picked, period);
  }

  /**
   * Runs the algorithm from {@code start} until the state repeats after one period; returns the
   * endpoint index of each step of transient + one cycle, or null if the transient does not end
   * within {@code maxSteps}.
   */
  static int[] simulate(long[] start, long[] weights, int period, int maxSteps) {
    long total = Arrays.stream(weights).sum();
    int[] picked = new int[Math.max(period, Math.min(maxSteps, 2 * period))];
    long[] lead = start.clone();
    for (int j = 0; j < period; j++) {
      picked[j] = step(lead, weights, total);
    }
    long[] trail = start.clone();
    int transientSteps = 0;
    while (!Arrays.equals(trail, lead)) {
      if (period + transientSteps >= maxSteps) {
        return null;
      }
      step(trail, weights, total);
      if (period + transientSteps == picked.length) {
        picked = Arrays.copyOf(picked, Math.min(maxSteps, picked.length * 2));
      }
      picked[period + transientSteps] = step(lead, weights, total);
      transientSteps++;
    }
    return Arrays.copyOf(picked, period + transientSteps);
  }

  /** One step of nginx's algorithm on {@code current}; returns the index picked. */
  static int step(long[] current, long[] weights, long total) {
    int best = 0;
    for (int i = 0; i < current.length; i++) {
      current[i] += weights[i];
      if (current[i] > current[best]) {
        best = i;
      }
    }
    current[best] -= total;
    return best;
  }

  private static long period(long[] w) {
    long g = 0;
    long sum = 0;
    for (long x : w) {
      g = gcd(g, x);
      sum += x;
    }
    return sum / g;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Proportionally smaller weights summing to about {@code target} (each still ≥ 1). */
  private static long[] scaled(long[] w, long target) {
    double sum = Arrays.stream(w).sum();
    long[] s = new long[w.length];
    for (int i = 0; i < w.length; i++) {
      s[i] = Math.max(1, Math.round(w[i] * target / sum));
    }
    return s;
  }

  /** The next step: one atomic increment and one array read. */
  PickResult next() {
    int i = cursor.getAndIncrement();
    PickResult[] s = steps;
    if (i < s.length) {
      return s[i];
    }
    return wrapped(i);
  }

  private PickResult wrapped(int i) {
    if (i == steps.length) {
      // Exactly one picker draws this index: it moves the cursor back by whole cycles. Others
      // that drew past the end meanwhile map their index into the cycle below.
      cursor.getAndAdd(-span);
    }
    return steps[prefix + (i - prefix) % span];
  }

  /**
   * For a retry or hedge: the endpoint this step gives, unless the call already tried it and
   * another endpoint exists; then the next endpoint in the sequence it has not tried (read ahead,
   * not taken, so other calls' turns are unchanged). Records the endpoint chosen.
   */
  PickResult avoidTried(PickResult first, CallAttempts attempts) {
    PickResult chosen = first;
    if (endpoints.length > 1
        && attempts.triedCount() > 0
        && attempts.triedCount() < endpoints.length
        && attempts.hasTried(first.getSubchannel())) {
      int from = cursor.get();
      for (int k = 0; k < picked.length; k++) {
        int v = from + k;
        PickResult r = v < steps.length ? steps[v] : steps[prefix + (v - prefix) % span];
        if (!attempts.hasTried(r.getSubchannel())) {
          chosen = r;
          break;
        }
      }
    }
    attempts.add(chosen.getSubchannel());
    return chosen;
  }

  /**
   * Stops carrying state: writes the current weights after the last step handed out back into the
   * endpoints (steps 0..p, with p reduced into the first cycle, as the cycle returns the state to
   * where it began).
   */
  void retire() {
    int v = cursor.get();
    int p = v < prefix ? v : prefix + (v - prefix) % period;
    long[] counts = new long[endpoints.length];
    for (int j = 0; j < p; j++) {
      counts[picked[j]]++;
    }
    for (int i = 0; i < endpoints.length; i++) {
      endpoints[i].currentWeight = start[i] + p * weights[i] - total * counts[i];
    }
  }

  int size() {
    return endpoints.length;
  }

  /** Steps before the cycle (0 when the carried-over state is already on it). For tests. */
  int transientLength() {
    return prefix;
  }
}
