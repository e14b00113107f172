package com.webook.platform.host;

import com.webook.platform.client.GrpcChannels;
import com.webook.platform.client.RemoteCallInTransactionInterceptor;
import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.KafkaConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.db.Database;
import com.webook.platform.db.TransactionTracker;
import com.webook.platform.discovery.EtcdConnection;
import com.webook.platform.discovery.EtcdServiceDirectory;
import com.webook.platform.discovery.EtcdServiceRegistrar;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.kafka.Kafka;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.retry.StartBudget;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.ProcessSignals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of every process's composition root that is the same everywhere: metrics, the admin port
 * and readiness, the start budget, the etcd connection, the service's database (migrated), Redis,
 * Kafka, the channels to other services, the gRPC server and its registration, signals, and the
 * graceful stop. A composition root builds what is specific to its service with {@code new} and
 * hands its gRPC services to {@link #serve(Consumer)} (the BFF hands its HTTP server to {@link
 * #serve(PublicPort)}); this class removes the repetition and decides nothing for the service.
 *
 * <p>Start, in this order:
 *
 * <ol>
 *   <li>construction: metrics, then the admin port, so {@code /health/live} answers at once while
 *       {@code /health/ready} says what the process is waiting for ({@code process: connecting to
 *       Redis at …});
 *   <li>{@link #database}, {@link #redis}, {@link #kafka}: each connects within the start budget
 *       ({@code startup.budget}, one deadline for the whole start), logging a wait once per
 *       dependency, and fails with one line naming the dependency and its address when the budget
 *       is spent;
 *   <li>{@link #serve}: the public port starts (a gRPC server serves, then registers in etcd), the
 *       after-start tasks run, and only then is the process ready.
 * </ol>
 *
 * <p>Stop ({@link #stop()}, on SIGTERM/SIGINT for a host made by {@link #forProcess}): readiness
 * goes false; the public port stops (gRPC: deregister, drain, GOAWAY, in-flight calls finish); the
 * resources close in reverse order of registration: what the service registered last (its workers,
 * queues, consumers) first, then, going back, whatever it opened before — Kafka producers (which
 * flush), channels to other services, Redis, the database, in the order the composition root asked
 * for them — and the discovery directory and the etcd connection, opened first, last; the admin
 * port closes at the very end, so health answers until the process is gone.
 *
 * <p>Thread-safety: built and started by one thread (the main thread); {@link #stop()} may run on
 * any thread, once (later calls wait for the first).
 */
public final class ServiceHost {
  private static final Logger log = LoggerFactory.getLogger(ServiceHost.class);

  /** What every process's config offers the host. Config records implement it. */
  public interface Config {
    AdminConfig admin();

    EtcdConfig etcd();

    StartupConfig startup();
  }

  /** A process that serves gRPC and registers in etcd. */
  public interface GrpcServiceConfig extends Config {
    GrpcServerConfig grpc();

    RegistryConfig registry();
  }

  /** A process that calls other services: {@code clients.<service>}, found through discovery. */
  public interface DownstreamConfig {
    DiscoveryConfig discovery();

    Map<String, GrpcClientConfig> clients();
  }

  private final String process;
  private final String service;
  private final Config config;
  private final Clock clock;
  private final StartBudget budget;
  private final long createdNanos = System.nanoTime();
  private final PrometheusMeterRegistry metrics;
  private final Lifecycle lifecycle = new Lifecycle();
  private final AdminHttpServer admin;
  private final EtcdConnection etcd;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<Runnable> afterStart = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final TransactionTracker transactions = new TransactionTracker();
  private GrpcChannels channels; // guarded by this
  private PublicPort port; // guarded by this

  /**
   * The host of a gRPC service; metrics carry {@code service=<registry.service>} and {@code
   * instance=<advertiseHost:port>}. Starts the admin port. Signals are not handled: see {@link
   * #forProcess(String, GrpcServiceConfig)}.
   *
   * @param process the process name for logs, e.g. {@code user-svc}
   */
  public ServiceHost(String process, GrpcServiceConfig config) {
    this(
        process,
        config.registry().service(),
        config.grpc().advertiseHost() + ":" + config.grpc().port(),
        config);
  }

  /**
   * The host of a process without a gRPC server (the BFF). Starts the admin port.
   *
   * @param process the process name for logs, e.g. {@code bff-gateway}
   * @param service the {@code service} tag of every meter
   * @param instance the {@code instance} tag of every meter
   */
  public ServiceHost(String process, String service, String instance, Config config) {
    this(process, service, instance, config, Clock.systemUTC());
  }

  /**
   * As {@link #ServiceHost(String, String, String, Config)}, on {@code clock}: the clock of the
   * host's own timing (start budget, discovery, registration), handed to the service by {@link
   * #clock()} so that one clock rules the process.
   */
  public ServiceHost(String process, String service, String instance, Config config, Clock clock) {
    this.process = process;
    this.service = service;
    this.config = config;
    this.clock = clock;
    this.budget = new StartBudget(config.startup().budget(), clock);
    this.metrics = Metrics.newRegistry(service, instance);
    this.admin =
        new AdminHttpServer(config.admin().port(), metrics).addCheck(lifecycle.readinessCheck());
    admin.start();
    log.info(
        "{} starting (admin :{}, start budget {} s)",
        process,
        admin.port(),
        config.startup().budget().toSeconds());
    this.etcd = onStop(EtcdConnection.open(config.etcd()));
  }

  /**
   * The host of this JVM's gRPC service: like the constructor, and from now on SIGTERM/SIGINT run
   * {@link #stop()} and exit 0 — also while dependencies are still connecting.
   */
  public static ServiceHost forProcess(String process, GrpcServiceConfig config) {
    return handlingSignals(new ServiceHost(process, config));
  }

  /** The host of this JVM's process without a gRPC server; signals as above. */
  public static ServiceHost forProcess(
      String process, String service, String instance, Config config) {
    return handlingSignals(new ServiceHost(process, service, instance, config));
  }

  private static ServiceHost handlingSignals(ServiceHost host) {
    ProcessSignals.onTerminate(host::stop);
    return host;
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public EtcdConnection etcd() {
    return etcd;
  }

  /** The process's clock (the one the host's own timing uses). */
  public Clock clock() {
    return clock;
  }

  /** The start budget, for a service's own dependencies beyond the ones the host connects. */
  public StartBudget startBudget() {
    return budget;
  }

  /** The admin port actually bound (config {@code admin.port}, or a free one for 0). */
  public int adminPort() {
    return admin.port();
  }

  /**
   * Connects to the service's own database within the start budget and applies its migrations;
   * ready only while it answers.
   */
  public Database database(MysqlConfig mysql) {
    lifecycle.step("connecting to MariaDB at " + mysql.jdbcUrl());
    Database db = onStop(Database.connect(mysql, service + "-db", metrics, budget, transactions));
    lifecycle.step("migrating " + mysql.database());
    db.migrate();
    addReadinessCheck(db.readinessCheck());
    return db;
  }

  /** Connects to Redis within the start budget; ready only while it answers. */
  public Redis redis(RedisConfig redis) {
    lifecycle.step("connecting to Redis at " + redis.url());
    Redis r = onStop(Redis.connect(redis, metrics, budget));
    addReadinessCheck(r.readinessCheck());
    return r;
  }

  /**
   * Waits within the start budget until the Kafka cluster answers; producers and consumers come
   * from the result. Not a readiness condition: while Kafka is down, a service keeps serving (its
   * producers buffer and report errors; consumers catch up later).
   */
  public Kafka kafka(KafkaConfig kafka) {
    lifecycle.step("connecting to Kafka at " + kafka.bootstrap());
    return onStop(Kafka.connect(kafka, service + "-" + admin.port(), metrics, budget));
  }

  /**
   * The channel to {@code service} ({@code etcd:///<service>}): our resolver and balancer, retries
   * for {@code clients.<service>.idempotentMethods}, deadlines, route-group propagation (see {@link
   * GrpcChannels}). The first call creates the process's discovery directory and channels; both
   * close on stop after the public port stopped, channels first. Ready only while every channel
   * created has a connected endpoint.
   *
   * @throws IllegalStateException if the config record does not implement {@link DownstreamConfig}
   * @throws IllegalArgumentException if {@code clients.<service>} is not configured
   */
  public io.grpc.ManagedChannel channel(String service) {
    return clients().channelFor(service);
  }

  /** All channels to other services (see {@link #channel}). */
  public synchronized GrpcChannels clients() {
    if (channels == null) {
      if (!(config instanceof DownstreamConfig downstream)) {
        throw new IllegalStateException(
            process
                + " calls other services but its config has no discovery/clients sections: add"
                + " `DiscoveryConfig discovery, Map<String, GrpcClientConfig> clients` to its config"
                + " record and implement ServiceHost.DownstreamConfig");
      }
      EtcdServiceDirectory directory = onStop(newDirectory(downstream.discovery()));
      // Every channel notices calls made inside a transaction of the host's database.
      channels =
          onStop(
              new GrpcChannels(
                  directory,
                  downstream.clients(),
                  List.of(new RemoteCallInTransactionInterceptor(transactions, metrics))));
      addReadinessCheck(directory.readinessCheck());
      addReadinessCheck(channels.readinessCheck());
    }
    return channels;
  }

  /** The one place the process's discovery directory is built. */
  private EtcdServiceDirectory newDirectory(DiscoveryConfig discovery) {
    // The host owns the directory's loop: registered first, so it shuts down after the directory.
    ScheduledExecutorService loop = EtcdServiceDirectory.newLoop();
    onStop(() -> loop.shutdownNow());
    return new EtcdServiceDirectory(
        etcd, discovery, config.etcd().requestTimeout(), metrics, clock, loop);
  }

  /**
   * Closes {@code resource} on stop, after the public port stopped and before what was registered
   * earlier (reverse order of registration).
   */
  public <T extends AutoCloseable> T onStop(T resource) {
    synchronized (resources) {
      resources.push(resource);
    }
    return resource;
  }

  /** One more condition of {@code /health/ready}. */
  public void addReadinessCheck(ReadinessCheck check) {
    admin.addCheck(check);
  }

  /** Runs {@code task} once the public port serves (and is registered), before ready. */
  public void afterStart(Runnable task) {
    afterStart.add(task);
  }

  /**
   * Starts the gRPC server with the services {@code services} adds (see {@link #start(Consumer)}),
   * then blocks until {@link #stop()} has finished. What a service's {@code main} ends with.
   */
  public void serve(Consumer<GrpcServer.Builder> services) throws Exception {
    start(services);
    awaitTermination();
  }

  /** Starts {@code port} (see {@link #start(PublicPort)}), then blocks until stopped. */
  public void serve(PublicPort port) throws Exception {
    start(port);
    awaitTermination();
  }

  /**
   * Builds the gRPC server (health, reflection, the platform's interceptors, metrics) with the
   * services {@code services} adds, starts it — it serves, then registers in etcd when {@code
   * registry.enabled} — runs the after-start tasks and reports ready. Returns the running server.
   *
   * @throws IllegalStateException if the config is not a {@link GrpcServiceConfig}
   */
  public GrpcServer start(Consumer<GrpcServer.Builder> services) throws Exception {
    if (!(config instanceof GrpcServiceConfig grpcConfig)) {
      throw new IllegalStateException(process + " has no grpc/registry config");
    }
    GrpcServer.Builder builder = GrpcServer.builder(process, grpcConfig.grpc()).metrics(metrics);
    if (grpcConfig.registry().enabled()) {
      // The registrar waits for etcd within what is left of the start budget. Its loop is
      // needed until the server deregistered (public port stop), which precedes closing resources.
      ScheduledExecutorService registrarLoop =
          EtcdServiceRegistrar.newLoop(grpcConfig.registry().service());
      onStop(() -> registrarLoop.shutdownNow());
      EtcdServiceRegistrar registrar =
          EtcdServiceRegistrar.fromConfig(
              etcd,
              grpcConfig.registry(),
              grpcConfig.grpc(),
              config.etcd().requestTimeout(),
              budget.remaining(),
              metrics,
              clock,
              registrarLoop);
      builder.registration(registrar);
      addReadinessCheck(registrar.readinessCheck());
    }
    services.accept(builder);
    GrpcServer server = builder.build();
    addReadinessCheck(server.readinessCheck());
    String registering = grpcConfig.registry().enabled() ? ", registering in etcd" : "";
    lifecycle.step("starting gRPC on :" + grpcConfig.grpc().port() + registering);
    start(
        PublicPort.of(
            () -> "gRPC :" + server.port() + (registering.isEmpty() ? "" : " (registered)"),
            server::start,
            server::stop));
    return server;
  }

  /**
   * Starts {@code port} (every dependency must be connected by now), runs the after-start tasks and
   * reports ready.
   *
   * @throws IllegalStateException if the host is stopping or already started
   */
  public void start(PublicPort port) throws Exception {
    synchronized (this) {
      if (stopping.get()) {
        throw new IllegalStateException(process + " is stopping");
      }
      if (this.port != null) {
        throw new IllegalStateException(process + " is already started");
      }
      this.port = port;
    }
    try {
      port.start();
    } catch (Exception e) {
      lifecycle.step("start failed: " + e.getMessage());
      throw e;
    }
    afterStart.forEach(Runnable::run);
    String description =
        port.describe()
            + ", admin :"
            + admin.port()
            + ", started in "
            + (System.nanoTime() - createdNanos) / 1_000_000
            + " ms";
    lifecycle.started(description);
    log.info("{} ready: {}", process, description);
  }

  /**
   * The graceful stop (see the class comment); idempotent, later calls wait for the first. Safe
   * before or during start: it stops what exists.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitTermination();
      return;
    }
    PublicPort running;
    synchronized (this) {
      running = port;
    }
    lifecycle.stopping();
    try {
      if (running != null) {
        try {
          running.stop();
        } catch (RuntimeException e) {
          log.warn("{}: stopping {} failed", process, running.describe(), e);
        }
      }
      closeResources();
      io.micrometer.core.instrument.Metrics.globalRegistry.remove(metrics);
    } finally {
      admin.close();
      terminated.countDown();
    }
  }

  /** Blocks until {@link #stop()} has finished. */
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
        log.warn("{}: closing {} failed", process, r, e);
      }
    }
  }
}
