package com.webook.platform.balancer;

import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.platform.discovery.EndpointAttributes;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.LoadBalancerProvider;
import io.grpc.LoadBalancerRegistry;
import io.grpc.Metadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Cost of one pick: our smooth weighted round-robin picker against grpc-java's {@code round_robin}
 * picker over the same READY endpoints, measured in the same run (SPEC §13). Weights 1..5 for ours
 * (round robin ignores weights). Run: see platform/README.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx512m"})
public class PickerBenchmark {
  @Param({"3", "10", "100"})
  public int endpoints;

  private FakeHelper oursHelper;
  private FakeHelper rrHelper;
  private LoadBalancer ours;
  private LoadBalancer roundRobin;
  private LoadBalancer.SubchannelPicker oursPicker;
  private LoadBalancer.SubchannelPicker rrPicker;
  private final LoadBalancer.PickSubchannelArgs args =
      new SmoothWeightedRoundRobinLoadBalancerTest.Args(new Metadata());

  @Setup(Level.Trial)
  public void setUp() {
    List<EquivalentAddressGroup> eags = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      eags.add(
          FakeHelper.address(
              30000 + i,
              Attributes.newBuilder()
                  .set(EndpointAttributes.INSTANCE_ID, "e" + i)
                  .set(EndpointAttributes.WEIGHT, 1 + i % 5)
                  .build()));
    }
    oursHelper = new FakeHelper();
    ours = new SmoothWeightedRoundRobinLoadBalancer(oursHelper, System::currentTimeMillis);
    WeightedRoundRobinConfig config =
        new WeightedRoundRobinConfig(
            Duration.ZERO,
            0.1,
            5,
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            0.5,
            Duration.ZERO,
            WeightedRoundRobinConfig.GroupFallback.UNGROUPED);
    oursHelper.syncContext.execute(
        () ->
            ours.acceptResolvedAddresses(
                LoadBalancer.ResolvedAddresses.newBuilder()
                    .setAddresses(eags)
                    .setLoadBalancingPolicyConfig(config)
                    .build()));
    oursPicker = oursHelper.picker;

    rrHelper = new FakeHelper();
    LoadBalancerProvider rr = LoadBalancerRegistry.getDefaultRegistry().getProvider("round_robin");
    roundRobin = rr.newLoadBalancer(rrHelper);
    Object rrConfig = rr.parseLoadBalancingPolicyConfig(Map.of()).getConfig();
    rrHelper.syncContext.execute(
        () ->
            roundRobin.acceptResolvedAddresses(
                LoadBalancer.ResolvedAddresses.newBuilder()
                    .setAddresses(eags)
                    .setLoadBalancingPolicyConfig(rrConfig)
                    .build()));
    rrPicker = rrHelper.picker;
    if (oursPicker.pickSubchannel(args).getSubchannel() == null
        || rrPicker.pickSubchannel(args).getSubchannel() == null) {
      throw new IllegalStateException("pickers not ready: " + oursPicker + " / " + rrPicker);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    oursHelper.syncContext.execute(ours::shutdown);
    rrHelper.syncContext.execute(roundRobin::shutdown);
    oursHelper.scheduler.shutdownNow();
    rrHelper.scheduler.shutdownNow();
  }

  @Benchmark
  public LoadBalancer.PickResult smoothWeightedRoundRobin() {
    return oursPicker.pickSubchannel(args);
  }

  @Benchmark
  public LoadBalancer.PickResult grpcRoundRobin() {
    return rrPicker.pickSubchannel(args);
  }

  @Benchmark
  @Threads(4)
  public LoadBalancer.PickResult smoothWeightedRoundRobin4Threads() {
    return oursPicker.pickSubchannel(args);
  }

  @Benchmark
  @Threads(4)
  public LoadBalancer.PickResult grpcRoundRobin4Threads() {
    return rrPicker.pickSubchannel(args);
  }

  /**
   * {@code ./mvnw -pl platform -am test-compile exec:java -Dexec.classpathScope=test
   * -Dexec.mainClass=...PickerBenchmark}.
   */
  public static void main(String[] args) throws Exception {
    new Runner(
            new OptionsBuilder()
                .include(PickerBenchmark.class.getSimpleName())
                .addProfiler("gc")
                .build())
        .run();
  }
}
