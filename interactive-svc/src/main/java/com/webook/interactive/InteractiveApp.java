package com.webook.interactive;

import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.discovery.EtcdConnection;
import com.webook.platform.discovery.EtcdServiceRegistrar;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.ProcessSignals;
import com.webook.platform.server.Startup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** interactive-svc: main and composition root. The only class that knows every other class. */
public final class InteractiveApp {
  private InteractiveApp() {}

  public static void main(String[] args) {
    Startup.run("interactive-svc", () -> {
      InteractiveConfig config = new ConfigLoader().load(InteractiveConfig.class, args);
      String instance = config.grpc().advertiseHost() + ":" + config.grpc().port();
      PrometheusMeterRegistry metrics = Metrics.newRegistry("interactive", instance);

      Database db = Database.connect(config.mysql(), "interactive-db", metrics);
      db.migrate();
      Redis redis = Redis.connect(config.redis(), metrics);

      EtcdConnection etcd = EtcdConnection.open(config.etcd());
      EtcdServiceRegistrar registrar = EtcdServiceRegistrar.fromConfig(etcd, config.registry(), config.grpc(),
          config.etcd().requestTimeout(), metrics);

      GrpcServer server = GrpcServer.builder("interactive-svc", config.grpc())
          .metrics(metrics)
          .registration(config.registry().enabled() ? registrar : null)
          // Business logic arrives with the interactive-svc issue; until then these answer UNIMPLEMENTED.
          .addService(new InteractiveServiceGrpc.InteractiveServiceImplBase() {})
          .build();
      AdminHttpServer admin = new AdminHttpServer(config.admin().port(), metrics)
          .addCheck(server.readinessCheck())
          .addCheck(db.readinessCheck())
          .addCheck(redis.readinessCheck());
      server.closeOnStop(admin).closeOnStop(db).closeOnStop(redis).closeOnStop(etcd);

      admin.start();
      server.start();
      ProcessSignals.onTerminate(server::stop);
      server.awaitTermination();
    });
  }
}
