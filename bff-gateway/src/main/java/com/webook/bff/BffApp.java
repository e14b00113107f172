package com.webook.bff;

import com.webook.bff.config.BffConfig;
import com.webook.platform.client.GrpcChannels;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.discovery.EtcdConnection;
import com.webook.platform.discovery.EtcdServiceDirectory;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.ProcessSignals;
import com.webook.platform.server.Startup;
import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bff-gateway: main and composition root. Reads the config, connects Redis, opens the channel to
 * user-svc ({@code etcd:///user}), builds the HTTP API through {@link HttpApi#create} and the admin
 * port, and stops them in reverse order on SIGTERM.
 *
 * <p>The BFF starts without any user-svc instance: the channel connects when one registers, and
 * {@code /health/ready} reports the downstream as not ready until then.
 */
public final class BffApp {
  private static final Logger log = LoggerFactory.getLogger(BffApp.class);

  private BffApp() {}

  public static void main(String[] args) {
    Startup.run(
        "bff-gateway",
        () -> {
          BffConfig config = new ConfigLoader().load(BffConfig.class, args);
          if (config.jwt().usesDevKeys() || config.wechat().usesDevKey()) {
            log.warn(
                "INSECURE: JWT or WeChat state keys are the dev profile's; set WEBOOK_JWT_ACCESS_KEY, "
                    + "WEBOOK_JWT_REFRESH_KEY and WEBOOK_WECHAT_STATE_KEY outside development");
          }
          PrometheusMeterRegistry metrics =
              Metrics.newRegistry("bff", "127.0.0.1:" + config.http().port());
          Redis redis = Redis.connect(config.redis(), metrics);
          Clock clock = Clock.systemUTC();
          EtcdConnection etcd = EtcdConnection.open(config.etcd());
          // Owned here: shut down after the directory is closed.
          ScheduledExecutorService discoveryLoop = EtcdServiceDirectory.newLoop();
          EtcdServiceDirectory directory =
              new EtcdServiceDirectory(
                  etcd,
                  config.discovery(),
                  config.etcd().requestTimeout(),
                  metrics,
                  clock,
                  discoveryLoop);
          GrpcChannels channels = new GrpcChannels(directory, config.clients(), List.of());
          Backends backends =
              Backends.of(channels.channelFor("user"), redis.connection(), config.rateLimit());

          Javalin app = HttpApi.create(config, backends, metrics, clock);
          AdminHttpServer admin =
              new AdminHttpServer(config.admin().port(), metrics)
                  .addCheck(redis.readinessCheck())
                  .addCheck(channels.readinessCheck())
                  .addCheck(directory.readinessCheck());

          // Ready only once the public port answers: start it before the admin port.
          app.start(config.http().port());
          admin.start();
          log.info("bff-gateway serving HTTP on {} (admin {})", app.port(), admin.port());
          CountDownLatch stopped = new CountDownLatch(1);
          ProcessSignals.onTerminate(
              () -> {
                if (stopped.getCount() == 0) {
                  return;
                }
                app.stop();
                channels.close();
                directory.close();
                discoveryLoop.shutdownNow();
                etcd.close();
                redis.close();
                admin.close();
                stopped.countDown();
              });
          stopped.await();
        });
  }
}
