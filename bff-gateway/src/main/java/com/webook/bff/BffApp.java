package com.webook.bff;

import com.webook.bff.config.BffConfig;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.PublicPort;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.Startup;
import io.javalin.Javalin;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bff-gateway: main and composition root. The process runs on the platform's {@link ServiceHost}
 * like every service — admin port first, Redis within the start budget, the channels to user-svc,
 * article-svc, interactive-svc and ranking-svc ({@code etcd:///user}, {@code etcd:///article},
 * {@code etcd:///interactive}, {@code etcd:///ranking}) from {@code clients.*}, signals and the
 * graceful stop — with the HTTP API as its public port instead of a gRPC server.
 *
 * <p>The BFF starts without any downstream instance: a channel connects when one registers, and
 * {@code /health/ready} reports that downstream as not ready until then.
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
          ServiceHost host =
              ServiceHost.forProcess(
                  "bff-gateway", "bff", "127.0.0.1:" + config.http().port(), config);
          Javalin app =
              HttpApi.create(
                  config, backends(config, host), host.metrics(), host.clock(), background(host));
          host.serve(httpPort(app, null, config.http().port()));
        });
  }

  /**
   * The production backends: user-svc, article-svc, interactive-svc and ranking-svc through the
   * host's channels (the BFF is ready only once each of the first three has a connected instance;
   * ranking-svc is {@code requiredForReadiness: false}), sessions and the IP limit in the Redis the
   * host connects (within the start budget).
   */
  static Backends backends(BffConfig config, ServiceHost host) {
    Redis redis = host.redis(config.redis());
    return Backends.of(
        host.channel("user"),
        host.channel("article"),
        host.channel("interactive"),
        host.channel("ranking"),
        redis.connection(),
        config.rateLimit());
  }

  /**
   * Where the HTTP API's background work runs (the hot list's refreshes): virtual threads, one per
   * task, stopped by the host after the HTTP port and before the channels they call.
   */
  static ExecutorService background(ServiceHost host) {
    ExecutorService background =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bff-background-", 0).factory());
    host.onStop(() -> background.shutdownNow());
    return background;
  }

  /**
   * The HTTP API as the host's public port: started after the dependencies, stopped first.
   *
   * @param bindHost the interface to bind, or null for all
   * @param port the port; 0 picks a free one (tests)
   */
  static PublicPort httpPort(Javalin app, String bindHost, int port) {
    return PublicPort.of(
        () -> "HTTP :" + app.port(),
        () -> {
          if (bindHost == null) {
            app.start(port);
          } else {
            app.start(bindHost, port);
          }
        },
        app::stop);
  }
}
