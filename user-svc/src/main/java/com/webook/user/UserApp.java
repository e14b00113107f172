package com.webook.user;

import com.webook.api.code.v1.CodeServiceGrpc;
import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.sms.v1.SmsServiceGrpc;
import com.webook.api.user.v1.UserServiceGrpc;
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

/** user-svc: main and composition root. The only class that knows every other class. */
public final class UserApp {
  private UserApp() {}

  public static void main(String[] args) {
    Startup.run("user-svc", () -> {
      UserConfig config = new ConfigLoader().load(UserConfig.class, args);
      String instance = config.grpc().advertiseHost() + ":" + config.grpc().port();
      PrometheusMeterRegistry metrics = Metrics.newRegistry("user", instance);

      Database db = Database.connect(config.mysql(), "user-db", metrics);
      db.migrate();
      Redis redis = Redis.connect(config.redis(), metrics);

      EtcdConnection etcd = EtcdConnection.open(config.etcd());
      EtcdServiceRegistrar registrar = EtcdServiceRegistrar.fromConfig(etcd, config.registry(), config.grpc(),
          config.etcd().requestTimeout(), metrics);

      GrpcServer server = GrpcServer.builder("user-svc", config.grpc())
          .metrics(metrics)
          .registration(config.registry().enabled() ? registrar : null)
          // Business logic arrives with the user-svc issue; until then these answer UNIMPLEMENTED.
          .addService(new UserServiceGrpc.UserServiceImplBase() {})
          .addService(new CodeServiceGrpc.CodeServiceImplBase() {})
          .addService(new SmsServiceGrpc.SmsServiceImplBase() {})
          .addService(new Oauth2ServiceGrpc.Oauth2ServiceImplBase() {})
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
