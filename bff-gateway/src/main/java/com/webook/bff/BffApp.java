package com.webook.bff;

import com.webook.platform.config.ConfigLoader;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.ProcessSignals;
import com.webook.platform.server.Startup;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.CountDownLatch;

/** bff-gateway: main and composition root. */
public final class BffApp {
  private BffApp() {}

  public static void main(String[] args) {
    Startup.run("bff-gateway", () -> {
      BffConfig config = new ConfigLoader().load(BffConfig.class, args);
      PrometheusMeterRegistry metrics = Metrics.newRegistry("bff", "127.0.0.1:" + config.http().port());
      Redis redis = Redis.connect(config.redis(), metrics);

      Javalin app = HttpApi.create(config.http(), metrics);
      AdminHttpServer admin = new AdminHttpServer(config.admin().port(), metrics)
          .addCheck(redis.readinessCheck());

      // Ready only once the public port answers: start it before the admin port.
      app.start(config.http().port());
      admin.start();
      CountDownLatch stopped = new CountDownLatch(1);
      ProcessSignals.onTerminate(() -> {
        if (stopped.getCount() == 0) {
          return;
        }
        app.stop();
        redis.close();
        admin.close();
        stopped.countDown();
      });
      stopped.await();
    });
  }
}
