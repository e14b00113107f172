package com.webook.platform.balancer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * nginx's smooth weighted round robin over a fixed set of endpoints: each step adds every
 * endpoint's weight to its current weight, takes the largest (the first one on ties) and subtracts
 * the total from it. Weights {5,1,1} give A A B A C A A.
 *
 * <p>Steps are computed {@value #BATCH} at a time under a lock and handed out lock-free through an
 * atomic cursor, so concurrent pickers rarely meet on the lock while every pick is still exactly
 * one step of the sequence (shares are exact under concurrency). The current weights live in the
 * endpoints: when the balancer replaces this sequence (endpoints came or went, weights changed) it
 * calls {@link #retire()}, which hands the computed-but-unused steps back by undoing them, so the
 * next sequence continues exactly where the picks left off. The lock is shared by every sequence of
 * the same scope (all endpoints, or one group) for the balancer's lifetime. A {@link ReentrantLock}
 * rather than a monitor: virtual threads must not pin their carrier on it.
 */
final class SmoothWeightedSequence {
  static final int BATCH = 64;
  private static final int CLOSED = Integer.MAX_VALUE / 2;

  private final ReentrantLock lock;
  private final BalancedEndpoint[] endpoints;
  private final int[] weights;
  private final int total;
  private final boolean groupScope;
  private volatile Batch batch = new Batch(new BalancedEndpoint[0], new int[0]);
  private boolean retired; // guarded by lock

  /** One computed run of steps: the endpoints picked and their indexes (for undoing). */
  private record Batch(BalancedEndpoint[] picks, int[] indexes, AtomicInteger cursor) {
    Batch(BalancedEndpoint[] picks, int[] indexes) {
      this(picks, indexes, new AtomicInteger());
    }
  }

  SmoothWeightedSequence(
      ReentrantLock lock, BalancedEndpoint[] endpoints, int[] weights, boolean groupScope) {
    this.lock = lock;
    this.endpoints = endpoints;
    this.weights = weights;
    this.groupScope = groupScope;
    int sum = 0;
    for (int w : weights) {
      sum += w;
    }
    this.total = sum;
  }

  BalancedEndpoint next() {
    if (endpoints.length == 1) {
      return endpoints[0];
    }
    Batch b = batch;
    int i = b.cursor().getAndIncrement();
    if (i < b.picks().length) {
      return b.picks()[i];
    }
    return nextSlow();
  }

  private BalancedEndpoint nextSlow() {
    while (true) {
      Batch b;
      lock.lock();
      try {
        b = batch;
        if (b.cursor().get() >= b.picks().length) {
          if (retired) {
            // A picker being replaced right now: answer without touching the shared state.
            return endpoints[Math.floorMod(b.cursor().getAndIncrement(), endpoints.length)];
          }
          b = compute();
          batch = b;
        }
      } finally {
        lock.unlock();
      }
      int i = b.cursor().getAndIncrement();
      if (i < b.picks().length) {
        return b.picks()[i];
      }
    }
  }

  /** Runs {@link #BATCH} steps of the algorithm. Caller holds the lock. */
  private Batch compute() {
    BalancedEndpoint[] picks = new BalancedEndpoint[BATCH];
    int[] indexes = new int[BATCH];
    BalancedEndpoint[] eps = endpoints;
    for (int step = 0; step < BATCH; step++) {
      int best = 0;
      int bestWeight = Integer.MIN_VALUE;
      for (int i = 0; i < eps.length; i++) {
        int cw = add(eps[i], weights[i]);
        if (cw > bestWeight) {
          bestWeight = cw;
          best = i;
        }
      }
      add(eps[best], -total);
      picks[step] = eps[best];
      indexes[step] = best;
    }
    return new Batch(picks, indexes);
  }

  /**
   * Stops this sequence and undoes the steps it computed but never handed out, newest first, so the
   * endpoints' current weights are exactly those after the last real pick.
   */
  void retire() {
    lock.lock();
    try {
      if (retired) {
        return;
      }
      retired = true;
      Batch b = batch;
      int used = Math.min(b.cursor().getAndSet(CLOSED), b.picks().length);
      for (int step = b.picks().length - 1; step >= used; step--) {
        add(endpoints[b.indexes()[step]], total);
        for (int i = 0; i < endpoints.length; i++) {
          add(endpoints[i], -weights[i]);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private int add(BalancedEndpoint e, int delta) {
    return groupScope ? (e.currentWeightGroup += delta) : (e.currentWeightAll += delta);
  }

  int size() {
    return endpoints.length;
  }
}
