package com.webook.user;

import com.webook.api.oauth2.v1.Oauth2ServiceGrpc;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.ProcessSignals;
import com.webook.platform.server.Startup;
import com.webook.user.grpc.CodeGrpcService;
import com.webook.user.grpc.SmsGrpcService;
import com.webook.user.repository.cache.CodeCache;
import com.webook.user.repository.dao.AsyncSmsDao;
import com.webook.user.service.CodeService;
import com.webook.user.service.SmsService;
import com.webook.user.service.sms.SmsStack;
import com.webook.user.service.sms.SmsStackFactory;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
      Clock clock = Clock.systemUTC();

      SmsStack sms = new SmsStackFactory(clock, metrics, redis.connection(), new AsyncSmsDao(db.dsl()), null)
          .build(config.sms());
      SmsService smsService = new SmsService(sms.sender());
      CodeService codeService = new CodeService(new CodeCache(redis.connection(), config.code()), smsService,
          config.code().templateId(), new SecureRandom());
      ScheduledExecutorService smsWorker = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("sms-async-worker").daemon().factory());

      GrpcServer server = GrpcServer.builder("user-svc", config.grpc())
          .metrics(metrics)
          // Business logic arrives with the user-svc issue; until then these answer UNIMPLEMENTED.
          .addService(new UserServiceGrpc.UserServiceImplBase() {})
          .addService(new CodeGrpcService(codeService))
          .addService(new SmsGrpcService(smsService))
          .addService(new Oauth2ServiceGrpc.Oauth2ServiceImplBase() {})
          .build();
      AdminHttpServer admin = new AdminHttpServer(config.admin().port(), metrics)
          .addCheck(server.readinessCheck())
          .addCheck(db.readinessCheck())
          .addCheck(redis.readinessCheck());
      server.closeOnStop(admin).closeOnStop(db).closeOnStop(redis);
      // Closed in reverse: the worker stops taking rows and finishes its send, then providers close.
      server.closeOnStop(sms).closeOnStop(() -> {
        sms.stopWorker();
        smsWorker.shutdown();
        if (!smsWorker.awaitTermination(config.sms().async().stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          smsWorker.shutdownNow();
        }
      });

      admin.start();
      server.start();
      sms.start(smsWorker);
      ProcessSignals.onTerminate(server::stop);
      server.awaitTermination();
    });
  }
}
