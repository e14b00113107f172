package com.webook.platform.discovery;

import com.webook.platform.client.GrpcChannels;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.WeightedRoundRobinConfig;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Test fixture: echo service processes registered in etcd, and a client in the test JVM that
 * reaches them through the real stack — {@link EtcdServiceDirectory}, the etcd resolver, the smooth
 * WRR balancer and {@link GrpcChannels} with retries for the (idempotent) echo method.
 */
final class EchoCluster implements AutoCloseable {
  static final SimpleRequest WHOAMI =
      SimpleRequest.newBuilder().setRequestMessage("whoami").build();

  final String service = TestStack.unique("echo");
  final String etcdEndpoint;
  final Duration ttl;
  final List<Instance> instances = new CopyOnWriteArrayList<>();
  private EtcdConnection clientEtcd;
  private ScheduledExecutorService directoryLoop;
  private EtcdServiceDirectory directory;
  private GrpcChannels channels;

  record Instance(String id, int port, int admin, ServiceProcess process) {}

  /** The default balancer without slow start, so new instances get their full share at once. */
  static final WeightedRoundRobinConfig NO_SLOW_START = balancer(Duration.ZERO);

  static WeightedRoundRobinConfig balancer(Duration slowStartWindow) {
    WeightedRoundRobinConfig d = WeightedRoundRobinConfig.defaults();
    return new WeightedRoundRobinConfig(
        slowStartWindow,
        d.slowStartMinFactor(),
        d.failureThreshold(),
        d.baseEjection(),
        d.maxEjection(),
        d.maxEjectionShare(),
        d.restoreWindow(),
        d.groupFallback());
  }

  EchoCluster(String etcdEndpoint, Duration ttl) {
    this.etcdEndpoint = etcdEndpoint;
    this.ttl = ttl;
  }

  Instance start(int weight, String group, String... extra) {
    int port = ServiceProcess.freePort();
    int admin = ServiceProcess.freePort();
    String id = "127.0.0.1:" + port;
    ServiceProcess.Builder b =
        ServiceProcess.builder(service + "-" + port, EchoServerMain.class.getName())
            .arg("--service")
            .arg(service)
            .arg("--port")
            .arg(String.valueOf(port))
            .arg("--admin")
            .arg(String.valueOf(admin))
            .arg("--weight")
            .arg(String.valueOf(weight))
            .arg("--group")
            .arg(group)
            .arg("--ttl")
            .arg(ttl.toString())
            .arg("--etcd")
            .arg(etcdEndpoint);
    for (String e : extra) {
      b.arg(e);
    }
    ServiceProcess p = b.start();
    p.awaitReady(admin, Duration.ofSeconds(60));
    Instance i = new Instance(id, port, admin, p);
    instances.add(i);
    return i;
  }

  /** The client side: echo calls retried on UNAVAILABLE, through this balancer config. */
  ManagedChannel channel(
      String clientEtcdEndpoint, WeightedRoundRobinConfig balancer, Duration idleTimeout) {
    EtcdConfig cfg =
        new EtcdConfig(List.of(clientEtcdEndpoint), Duration.ofSeconds(1), Duration.ofSeconds(2));
    clientEtcd = EtcdConnection.open(cfg);
    directoryLoop = EtcdServiceDirectory.newLoop();
    directory =
        new EtcdServiceDirectory(
            clientEtcd,
            new DiscoveryConfig(
                Duration.ofMinutes(2),
                Duration.ofSeconds(1),
                0.5,
                Duration.ofSeconds(30),
                Duration.ofSeconds(1)),
            cfg.requestTimeout(),
            new SimpleMeterRegistry(),
            Clock.systemUTC(),
            directoryLoop);
    channels =
        new GrpcChannels(
            directory,
            Map.of(
                service,
                new GrpcClientConfig(
                    Duration.ofSeconds(3),
                    Map.of(),
                    List.of("grpc.testing.SimpleService"),
                    List.of(),
                    3,
                    Duration.ZERO,
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2),
                    idleTimeout,
                    balancer,
                    true)),
            List.of());
    return channels.channelFor(service);
  }

  ManagedChannel channel(WeightedRoundRobinConfig balancer) {
    return channel(etcdEndpoint, balancer, Duration.ofMinutes(30));
  }

  EtcdServiceDirectory directory() {
    return directory;
  }

  static String call(ManagedChannel channel, SimpleRequest request) {
    return SimpleServiceGrpc.newBlockingStub(channel).unaryRpc(request).getResponseMessage();
  }

  static String callInGroup(ManagedChannel channel, String group) {
    Metadata h = new Metadata();
    h.put(Metadata.Key.of("x-route-group", Metadata.ASCII_STRING_MARSHALLER), group);
    return SimpleServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h))
        .unaryRpc(WHOAMI)
        .getResponseMessage();
  }

  @Override
  public void close() {
    if (channels != null) {
      channels.close();
    }
    if (directory != null) {
      directory.close();
      directoryLoop.shutdownNow();
    }
    if (clientEtcd != null) {
      clientEtcd.close();
    }
    instances.forEach(i -> i.process().close());
  }

  /** Steady traffic from a few threads, counting answers per instance and every failure. */
  static final class Load implements AutoCloseable {
    final Map<String, LongAdder> answers = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final LongAdder calls = new LongAdder();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();

    Load(ManagedChannel channel, int threadCount, long pauseMillis) {
      for (int t = 0; t < threadCount; t++) {
        threads.add(
            Thread.ofPlatform()
                .daemon()
                .name("load-" + t)
                .start(
                    () -> {
                      while (running.get()) {
                        try {
                          String who = call(channel, WHOAMI);
                          answers.computeIfAbsent(who, k -> new LongAdder()).increment();
                        } catch (StatusRuntimeException e) {
                          failures.add(e.getStatus().toString());
                        }
                        calls.increment();
                        try {
                          Thread.sleep(pauseMillis);
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                    }));
      }
    }

    long answersFrom(String id) {
      LongAdder a = answers.get(id);
      return a == null ? 0 : a.sum();
    }

    /** Stops the traffic and waits for the load threads; idempotent. */
    void stop() {
      running.set(false);
      try {
        for (Thread t : threads) {
          t.join(TimeUnit.SECONDS.toMillis(10));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the load", e);
      }
    }

    @Override
    public void close() {
      stop();
    }
  }
}
