package com.webook.platform.balancer;

/**
 * nginx's smooth weighted round robin over a fixed set of endpoints: each pick adds every
 * endpoint's weight to its current weight, takes the largest (the first one on ties) and
 * subtracts the total from it. Weights {5,1,1} give A A B A C A A. The current weights live in
 * the endpoints, so a new sequence built over a changed set continues where the old one left off.
 *
 * <p>Picks are exact under concurrency: the update runs under a lock shared by every sequence of
 * the same scope (all endpoints, or one group) for the balancer's lifetime. The critical section
 * is one pass over the endpoints with no allocation.
 */
final class SmoothWeightedSequence {
  private final Object lock;
  private final BalancedEndpoint[] endpoints;
  private final int[] weights;
  private final int total;
  private final boolean groupScope;

  SmoothWeightedSequence(Object lock, BalancedEndpoint[] endpoints, int[] weights, boolean groupScope) {
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
    BalancedEndpoint[] eps = endpoints;
    if (eps.length == 1) {
      return eps[0];
    }
    synchronized (lock) {
      int best = 0;
      int bestWeight = Integer.MIN_VALUE;
      if (groupScope) {
        for (int i = 0; i < eps.length; i++) {
          int cw = eps[i].currentWeightGroup += weights[i];
          if (cw > bestWeight) {
            bestWeight = cw;
            best = i;
          }
        }
        eps[best].currentWeightGroup -= total;
      } else {
        for (int i = 0; i < eps.length; i++) {
          int cw = eps[i].currentWeightAll += weights[i];
          if (cw > bestWeight) {
            bestWeight = cw;
            best = i;
          }
        }
        eps[best].currentWeightAll -= total;
      }
      return eps[best];
    }
  }

  int size() {
    return endpoints.length;
  }
}
