package com.webook.platform.server;

import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.discovery.ServiceRegistration;
import com.webook.platform.health.ReadinessCheck;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.MetricCollectingServerInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC server every service runs: binds, serves (with health and reflection), then registers;
 * on stop runs the graceful sequence of SPEC §8.1:
 *
 * <ol>
 *   <li>deregister (the registry key disappears; clients' watches drop this endpoint),
 *   <li>health NOT_SERVING, keep serving for the drain window so clients learn the change,
 *   <li>stop accepting (GOAWAY) and let in-flight calls finish within the shutdown timeout,
 *   <li>close the resources given to {@link #closeOnStop}, in reverse order (queues are drained,
 *       consumers commit, producers flush).
 * </ol>
 *
 * The admin port is not the server's: the composition root ({@code ServiceHost}) closes it after
 * everything else, so {@code /health/live} and {@code /health/ready} (which reports "draining")
 * answer until the process is gone.
 *
 * <p>Handlers run on virtual threads, so blocking JDBC/Redis calls in handlers are fine.
 * Thread-safe; {@link #stop()} is idempotent and may be called from a signal handler.
 */
public final class GrpcServer {
  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

  private final GrpcServerConfig config;
  private final String serviceName;
  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
  private final List<String> serviceNames = new ArrayList<>();
  private final ServiceRegistration registration;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile boolean serving;

  private GrpcServer(Builder b) {
    this.config = b.config;
    this.serviceName = b.serviceName;
    this.registration = b.registration;
    List<ServerInterceptor> interceptors = new ArrayList<>();
    // Order matters: ServerInterceptors.intercept applies the last one outermost.
    interceptors.add(new ExceptionMappingInterceptor());
    interceptors.addAll(b.interceptors);
    interceptors.add(new ExpiredDeadlineInterceptor());
    interceptors.add(com.webook.platform.routing.RouteGroup.receiver());
    if (b.meterRegistry != null) {
      interceptors.add(new MetricCollectingServerInterceptor(b.meterRegistry));
    }
    NettyServerBuilder nb =
        NettyServerBuilder.forPort(config.port())
            .executor(handlers)
            .maxInboundMessageSize(config.maxInboundMessageSize())
            // Clients ping idle connections so that a dead peer is noticed; allow it.
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance());
    for (BindableService s : b.services) {
      ServerServiceDefinition def = s.bindService();
      serviceNames.add(def.getServiceDescriptor().getName());
      nb.addService(ServerInterceptors.intercept(def, interceptors));
    }
    this.server = nb.build();
  }

  public static Builder builder(String serviceName, GrpcServerConfig config) {
    return new Builder(serviceName, config);
  }

  /** Binds and serves, then registers. Throws if the port is taken or registration fails. */
  public GrpcServer start() {
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "gRPC port " + config.port() + " cannot be bound (in use?)", e);
    }
    health.setStatus("", ServingStatus.SERVING);
    serviceNames.forEach(n -> health.setStatus(n, ServingStatus.SERVING));
    serving = true;
    log.info("{} serving gRPC on :{} ({})", serviceName, port(), serviceNames);
    // A stop that began while the server was binding (SIGTERM during start) must not register.
    if (registration != null && !stopping.get()) {
      try {
        registration.register();
      } catch (RuntimeException e) {
        // A new instance that cannot register must not linger unseen: stop and report.
        server.shutdownNow();
        handlers.shutdownNow();
        terminated.countDown();
        throw e;
      }
    }
    return this;
  }

  /**
   * Registers a resource closed on stop, after in-flight calls finished; closed in reverse order.
   */
  public GrpcServer closeOnStop(AutoCloseable resource) {
    synchronized (resources) {
      resources.push(resource);
    }
    return this;
  }

  public int port() {
    return server.getPort();
  }

  public boolean isServing() {
    return serving && !stopping.get();
  }

  public HealthStatusManager health() {
    return health;
  }

  /** Readiness: the server is serving and not draining. */
  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "grpc",
        () ->
            isServing()
                ? ReadinessCheck.Result.ok("serving on :" + port())
                : ReadinessCheck.Result.down(stopping.get() ? "draining" : "not started"));
  }

  /** Runs the graceful sequence once; later calls wait for the first to finish. */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitTermination();
      return;
    }
    long started = System.nanoTime();
    log.info(
        "{} stopping: deregister, drain {} ms, then finish in-flight calls",
        serviceName,
        config.drainWindow().toMillis());
    try {
      if (registration != null) {
        try {
          registration.deregister();
        } catch (RuntimeException e) {
          log.warn("deregistration failed; the lease will expire on its own", e);
        }
      }
      health.enterTerminalState();
      sleep(config.drainWindow());
      server.shutdown();
      Duration timeout = config.shutdownTimeout();
      if (!server.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "in-flight calls did not finish within {} ms; cancelling them", timeout.toMillis());
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
      handlers.shutdown();
      closeResources();
      log.info("{} stopped in {} ms", serviceName, (System.nanoTime() - started) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    } finally {
      terminated.countDown();
    }
  }

  /** Blocks until {@link #stop()} completed. */
  public void awaitTermination() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeResources() {
    while (true) {
      AutoCloseable r;
      synchronized (resources) {
        r = resources.poll();
      }
      if (r == null) {
        return;
      }
      try {
        r.close();
      } catch (Exception e) {
        log.warn("closing {} failed", r, e);
      }
    }
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
  }

  /** Collects what the server serves; {@link #build()} makes the (not yet started) server. */
  public static final class Builder {
    private final String serviceName;
    private final GrpcServerConfig config;
    private final List<BindableService> services = new ArrayList<>();
    private final List<ServerInterceptor> interceptors = new ArrayList<>();
    private MeterRegistry meterRegistry;
    private ServiceRegistration registration;

    private Builder(String serviceName, GrpcServerConfig config) {
      this.serviceName = serviceName;
      this.config = config;
    }

    public Builder addService(BindableService service) {
      services.add(service);
      return this;
    }

    /** Extra interceptors (rate limits, auth …), applied inside error mapping and metrics. */
    public Builder intercept(ServerInterceptor interceptor) {
      interceptors.add(interceptor);
      return this;
    }

    public Builder metrics(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    public Builder registration(ServiceRegistration registration) {
      this.registration = registration;
      return this;
    }

    public GrpcServer build() {
      return new GrpcServer(this);
    }
  }
}
