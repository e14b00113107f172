package com.webook.interactive.bench;

import com.webook.api.intr.v1.GetByIdsRequest;
import com.webook.api.intr.v1.GetRequest;
import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.api.intr.v1.LikeRequest;
import com.webook.interactive.testing.InteractiveStack;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code Get} and {@code GetByIds(100)} latency, warm, against interactive-svc built by its
 * composition root on the local stack (real MariaDB and Redis, gRPC over loopback Netty), next to a
 * baseline measured in the same run on the same server and channel: the standard health check, an
 * RPC that does no work. One caller, sequential calls, so the figures are latencies, not
 * throughput. Prints p50/p99 of each and their ratio to the baseline. Run by {@code
 * bench/intr-rpc.sh}.
 */
public final class RpcLatencyBench {
  private RpcLatencyBench() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    try (InteractiveStack stack = InteractiveStack.start()) {
      InteractiveServiceGrpc.InteractiveServiceBlockingStub intr = stack.intr();
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(stack.channel());
      GetByIdsRequest.Builder hundred = GetByIdsRequest.newBuilder().setBiz("article");
      for (long id = 1; id <= 100; id++) {
        hundred.addIds(id);
        intr.like(LikeRequest.newBuilder().setBiz("article").setBizId(id).setUid(1).build());
      }
      GetByIdsRequest byIds = hundred.build();
      GetRequest get = GetRequest.newBuilder().setBiz("article").setBizId(7).setUid(1).build();
      HealthCheckRequest check = HealthCheckRequest.getDefaultInstance();
      // Stubs without a deadline: the fixture's stubs carry one of 60 s from their creation.
      var calls0 = InteractiveServiceGrpc.newBlockingStub(stack.channel());
      Runnable[] work = {
        () -> health.check(check), () -> calls0.get(get), () -> calls0.getByIds(byIds)
      };
      String[] names = {"health check (baseline)", "Get (uid>0)", "GetByIds(100)"};
      for (Runnable w : work) { // warm-up: JIT, cache loaded, pool connections open
        for (int i = 0; i < calls / 2; i++) {
          w.run();
        }
      }
      long[][] nanos = new long[work.length][calls];
      // Interleaved rounds, so a disturbance on the machine touches all three alike.
      for (int i = 0; i < calls; i++) {
        for (int k = 0; k < work.length; k++) {
          long start = System.nanoTime();
          work[k].run();
          nanos[k][i] = System.nanoTime() - start;
        }
      }
      double[] p50 = new double[work.length];
      double[] p99 = new double[work.length];
      for (int k = 0; k < work.length; k++) {
        Arrays.sort(nanos[k]);
        p50[k] = nanos[k][calls / 2] / 1000.0;
        p99[k] = nanos[k][(int) (calls * 0.99)] / 1000.0;
      }
      System.out.printf(Locale.ROOT, "%d sequential calls each, warm%n", calls);
      for (int k = 0; k < work.length; k++) {
        System.out.printf(
            Locale.ROOT,
            "%-24s p50 %8.0f µs  p99 %8.0f µs  (×%.2f / ×%.2f the baseline)%n",
            names[k],
            p50[k],
            p99[k],
            p50[k] / p50[0],
            p99[k] / p99[0]);
      }
    }
  }
}
