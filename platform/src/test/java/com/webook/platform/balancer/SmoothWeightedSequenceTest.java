package com.webook.platform.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Attributes;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancer.PickResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The precomputed sequence against nginx's algorithm run step by step: from zero and from carried-
 * over current weights (with and without a transient), across the cursor's wrap-around, and the
 * state handed back on retire.
 */
class SmoothWeightedSequenceTest {
  private final FakeHelper helper = new FakeHelper();

  private BalancedEndpoint[] endpoints(int n) {
    BalancedEndpoint[] eps = new BalancedEndpoint[n];
    for (int i = 0; i < n; i++) {
      LoadBalancer.Subchannel s =
          helper.createSubchannel(
              LoadBalancer.CreateSubchannelArgs.newBuilder()
                  .setAddresses(FakeHelper.address(40000 + i, Attributes.EMPTY))
                  .build());
      eps[i] = new BalancedEndpoint(s, 5, e -> {});
    }
    return eps;
  }

  @SuppressWarnings("ReferenceEquality") // each endpoint hands out its one cached PickResult
  private static int indexOf(BalancedEndpoint[] eps, PickResult r) {
    for (int i = 0; i < eps.length; i++) {
      if (eps[i].pickResult == r) {
        return i;
      }
    }
    throw new AssertionError("not one of the endpoints: " + r);
  }

  /** Checks {@code picks} steps against the reference, then the state retire() writes back. */
  private static void assertFollowsReference(
      BalancedEndpoint[] eps, int[] weights, long[] current, int picks) {
    for (int i = 0; i < eps.length; i++) {
      eps[i].currentWeight = current[i];
    }
    SmoothWeightedSequence seq = SmoothWeightedSequence.of(eps, weights);
    long[] ref = current.clone();
    long[] w = Arrays.stream(weights).asLongStream().toArray();
    long total = Arrays.stream(w).sum();
    for (int k = 0; k < picks; k++) {
      int expected = SmoothWeightedSequence.step(ref, w, total);
      assertThat(indexOf(eps, seq.next()))
          .as("step %d, weights %s, from %s", k, Arrays.toString(weights), Arrays.toString(current))
          .isEqualTo(expected);
    }
    seq.retire();
    for (int i = 0; i < eps.length; i++) {
      assertThat(eps[i].currentWeight).as("current weight %d after retire", i).isEqualTo(ref[i]);
    }
  }

  @Test
  void fromZeroItIsNginxsSequence() {
    BalancedEndpoint[] eps = endpoints(3);
    SmoothWeightedSequence seq = SmoothWeightedSequence.of(eps, new int[] {5, 1, 1});
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 14; i++) {
      sb.append((char) ('A' + indexOf(eps, seq.next())));
    }
    assertThat(sb.toString()).isEqualTo("AABACAA".repeat(2));
    assertThat(seq.transientLength()).isZero();
  }

  @Test
  void carriedOverStateContinuesExactlyLikeTheReferenceAcrossManyWraps() {
    SplittableRandom random = new SplittableRandom(42);
    int withTransient = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = 1 + random.nextInt(12);
      BalancedEndpoint[] eps = endpoints(n);
      // A history: run the reference with some weights, then change weights/members.
      long[] w0 = random.longs(n, 1, 11).toArray();
      long[] current = new long[n];
      long total0 = Arrays.stream(w0).sum();
      int history = random.nextInt((int) (3 * total0) + 1);
      for (int k = 0; k < history; k++) {
        SmoothWeightedSequence.step(current, w0, total0);
      }
      int[] weights = random.ints(n, 1, 11).toArray();
      if (n > 1 && random.nextBoolean()) {
        current[random.nextInt(n)] = 0; // a newcomer among old endpoints
      }
      SmoothWeightedSequence probe = sequenceFrom(eps, weights, current);
      if (probe.transientLength() > 0) {
        withTransient++;
      }
      int picks = 3 * SmoothWeightedSequence.MIN_STEPS + random.nextInt(500);
      assertFollowsReference(eps, weights, current, picks);
    }
    assertThat(withTransient).as("trials whose carried state needed a transient").isPositive();
  }

  private static SmoothWeightedSequence sequenceFrom(
      BalancedEndpoint[] eps, int[] weights, long[] current) {
    for (int i = 0; i < eps.length; i++) {
      eps[i].currentWeight = current[i];
    }
    return SmoothWeightedSequence.of(eps, weights);
  }

  @Test
  void aRemovedEndpointLeavesTheOthersStateAndTheyContinueLikeTheReference() {
    // After removal the current weights no longer sum to zero; the algorithm still settles.
    BalancedEndpoint[] eps = endpoints(2);
    assertFollowsReference(eps, new int[] {5, 1}, new long[] {-3, 2}, 1000);
  }

  @Test
  void aStateTooFarFromTheNewWeightsRestartsFromZero() {
    BalancedEndpoint[] eps = endpoints(2);
    SmoothWeightedSequence seq =
        sequenceFrom(eps, new int[] {1, 1}, new long[] {1_000_000, -1_000_000});
    assertThat(seq.transientLength()).isZero();
    assertThat(indexOf(eps, seq.next()) + "" + indexOf(eps, seq.next())).isEqualTo("01");
  }

  @Test
  void hugeWeightsAreScaledIntoTheStepLimitWithTheirShares() {
    BalancedEndpoint[] eps = endpoints(3);
    SmoothWeightedSequence seq =
        sequenceFrom(eps, new int[] {600_001, 300_000, 100_000}, new long[] {7, 0, -7});
    long[] counts = new long[3];
    for (int i = 0; i < 100_000; i++) {
      counts[indexOf(eps, seq.next())]++;
    }
    assertThat(counts[0] / 100_000.0).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.001));
    assertThat(counts[1] / 100_000.0).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.001));
    assertThat(counts[2] / 100_000.0).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void aRetryOrHedgeGoesToAnEndpointTheCallHasNotTried() {
    BalancedEndpoint[] eps = endpoints(3);
    SmoothWeightedSequence seq = SmoothWeightedSequence.of(eps, new int[] {5, 1, 1});
    CallAttempts call = new CallAttempts(Duration.ofMillis(50));
    List<Integer> chosen = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      chosen.add(indexOf(eps, seq.avoidTried(seq.next(), call)));
    }
    assertThat(chosen).containsExactlyInAnyOrder(0, 1, 2);
    // Every endpoint tried: the sequence's own choice stands.
    assertThat(indexOf(eps, seq.avoidTried(seq.next(), call))).isBetween(0, 2);
  }
}
