package com.webook.ranking.testing;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestStack;
import io.grpc.BindableService;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted source service that ranking-svc finds the real way: served by the platform's host on a
 * loopback port and registered in etcd (under the test's namespace) as {@code service}. Every call
 * is counted, waits {@link #delay} first and fails UNAVAILABLE while {@link #failing} is set.
 * Thread-safe.
 */
public class FakeSource implements AutoCloseable {
  record Config(
      GrpcServerConfig grpc,
      AdminConfig admin,
      EtcdConfig etcd,
      RegistryConfig registry,
      StartupConfig startup)
      implements ServiceHost.GrpcServiceConfig {}

  private final AtomicInteger calls = new AtomicInteger();
  private volatile boolean failing;
  private volatile Duration delay = Duration.ZERO;
  private final ServiceHost host;

  FakeSource(String service, String etcdNamespace, BindableService impl) {
    Config config =
        new Config(
            new GrpcServerConfig(
                ServiceProcess.freePort(),
                "127.0.0.1",
                Duration.ZERO,
                Duration.ofSeconds(5),
                4 << 20),
            new AdminConfig(0),
            new EtcdConfig(
                List.of(TestStack.etcdEndpoints().split(",")),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                etcdNamespace),
            new RegistryConfig(true, service, "", 10, "", "test", Duration.ofSeconds(5), Map.of()),
            new StartupConfig(Duration.ofSeconds(30)));
    host = new ServiceHost("fake-" + service + "-svc", config);
    try {
      host.start(server -> server.addService(impl));
    } catch (Exception e) {
      host.stop();
      throw new IllegalStateException("cannot start the fake " + service + "-svc", e);
    }
  }

  /** While true, every call fails UNAVAILABLE (the service is down). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  /** Every call waits this long before answering (a slow source makes a run last). */
  public void delay(Duration delay) {
    this.delay = delay;
  }

  public int calls() {
    return calls.get();
  }

  /** Called first by every RPC: counts, waits, and throws the scripted failure. */
  void enter() {
    calls.incrementAndGet();
    Duration d = delay;
    if (!d.isZero()) {
      try {
        Thread.sleep(d);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failing) {
      throw Status.UNAVAILABLE.withDescription("the fake source is down").asRuntimeException();
    }
  }

  @Override
  public void close() {
    host.stop();
  }
}
