package com.webook.platform.host;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.db.Database;
import com.webook.platform.discovery.EtcdConnection;
import com.webook.platform.discovery.EtcdServiceRegistrar;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.ProcessSignals;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The part of a gRPC service's composition root that is the same in every service: metrics, the
 * etcd connection and registrar, the service's database (migrated) and Redis, the admin port with
 * readiness checks, the gRPC server, start-up order and graceful stop. The service's own
 * composition root still builds everything specific to it with {@code new} and hands its gRPC
 * services to {@link #serve}; this class only removes the repetition, it decides nothing for the
 * service.
 *
 * <p>Resources given to {@link #onStop} (and the database, Redis and etcd connection opened here)
 * are closed after in-flight calls finished, in reverse order of registration.
 */
public final class ServiceHost {
  /** What a service's config must offer for the host. Service config records implement it. */
  public interface Config {
    GrpcServerConfig grpc();

    AdminConfig admin();

    EtcdConfig etcd();

    RegistryConfig registry();
  }

  private final String name;
  private final Config config;
  private final PrometheusMeterRegistry metrics;
  private final EtcdConnection etcd;
  private final Clock clock = Clock.systemUTC();
  private final ScheduledExecutorService registrarLoop;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final List<ReadinessCheck> checks = new ArrayList<>();
  private final List<Runnable> afterStart = new ArrayList<>();

  /**
   * Opens metrics and the etcd connection; {@code name} is the process name, e.g. {@code user-svc}.
   */
  public ServiceHost(String name, Config config) {
    this.name = name;
    this.config = config;
    this.metrics =
        Metrics.newRegistry(
            config.registry().service(),
            config.grpc().advertiseHost() + ":" + config.grpc().port());
    this.etcd = onStop(EtcdConnection.open(config.etcd()));
    // Owned here; closed on stop after the server deregistered, before the etcd connection.
    this.registrarLoop = onStop(EtcdServiceRegistrar.newLoop(config.registry().service()));
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public EtcdConnection etcd() {
    return etcd;
  }

  /**
   * Connects to the service's own database and applies its migrations; ready only while it answers.
   */
  public Database database(MysqlConfig mysql) {
    Database db = onStop(Database.connect(mysql, config.registry().service() + "-db", metrics));
    db.migrate();
    checks.add(db.readinessCheck());
    return db;
  }

  /** Connects to Redis; ready only while it answers. */
  public Redis redis(RedisConfig redis) {
    Redis r = onStop(Redis.connect(redis, metrics));
    checks.add(r.readinessCheck());
    return r;
  }

  /** Closes {@code resource} on stop, after in-flight calls (reverse order of registration). */
  public <T extends AutoCloseable> T onStop(T resource) {
    resources.add(resource);
    return resource;
  }

  public void addReadinessCheck(ReadinessCheck check) {
    checks.add(check);
  }

  /** Runs {@code task} once the server serves and is registered (e.g. start background workers). */
  public void afterStart(Runnable task) {
    afterStart.add(task);
  }

  /**
   * Builds the gRPC server with the services {@code services} adds, starts the admin port and the
   * server (which registers in etcd when {@code registry.enabled}), runs the after-start tasks, and
   * blocks until a SIGTERM/SIGINT has run the graceful stop.
   */
  public void serve(Consumer<GrpcServer.Builder> services) {
    GrpcServer.Builder builder = GrpcServer.builder(name, config.grpc()).metrics(metrics);
    if (config.registry().enabled()) {
      EtcdServiceRegistrar registrar =
          EtcdServiceRegistrar.fromConfig(
              etcd,
              config.registry(),
              config.grpc(),
              config.etcd().requestTimeout(),
              EtcdServiceRegistrar.DEFAULT_START_BUDGET,
              metrics,
              clock,
              registrarLoop);
      builder.registration(registrar);
      checks.add(registrar.readinessCheck()); // not ready while waiting for etcd at start
    }
    services.accept(builder);
    GrpcServer server = builder.build();
    AdminHttpServer admin =
        new AdminHttpServer(config.admin().port(), metrics).addCheck(server.readinessCheck());
    checks.forEach(admin::addCheck);
    resources.forEach(server::closeOnStop);
    server.closeOnStop(admin);

    admin.start();
    server.start();
    afterStart.forEach(Runnable::run);
    ProcessSignals.onTerminate(server::stop);
    server.awaitTermination();
  }
}
