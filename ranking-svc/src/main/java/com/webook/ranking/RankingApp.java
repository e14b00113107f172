package com.webook.ranking;

import com.webook.api.ranking.v1.RankingServiceGrpc;
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

/** ranking-svc: main and composition root. The only class that knows every other class. */
public final class RankingApp {
  private RankingApp() {}

  public static void main(String[] args) {
    Startup.run("ranking-svc", () -> {
      RankingConfig config = new ConfigLoader().load(RankingConfig.class, args);
      String instance = config.grpc().advertiseHost() + ":" + config.grpc().port();
      PrometheusMeterRegistry metrics = Metrics.newRegistry("ranking", instance);

      Database db = Database.connect(config.mysql(), "ranking-db", metrics);
      db.migrate();
      Redis redis = Redis.connect(config.redis(), metrics);

      EtcdConnection etcd = EtcdConnection.open(config.etcd());
      EtcdServiceRegistrar registrar = EtcdServiceRegistrar.fromConfig(etcd, config.registry(), config.grpc(),
          config.etcd().requestTimeout(), metrics);

      GrpcServer server = GrpcServer.builder("ranking-svc", config.grpc())
          .metrics(metrics)
          .registration(config.registry().enabled() ? registrar : null)
          // Business logic arrives with the ranking-svc issue; until then these answer UNIMPLEMENTED.
          .addService(new RankingServiceGrpc.RankingServiceImplBase() {})
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
