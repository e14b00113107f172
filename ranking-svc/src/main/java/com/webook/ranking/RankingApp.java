package com.webook.ranking;

import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import java.util.function.Consumer;

/**
 * ranking-svc: main and composition root. {@link #wire} is the only code that knows every class;
 * {@link #main} and in-process tests build the service through it.
 */
public final class RankingApp {
  private RankingApp() {}

  public static void main(String[] args) {
    Startup.run(
        "ranking-svc",
        () -> {
          RankingConfig config = new ConfigLoader().load(RankingConfig.class, args);
          ServiceHost host = ServiceHost.forProcess("ranking-svc", config);
          host.serve(wire(config, host));
        });
  }

  /**
   * Builds ranking-svc on {@code host} (its database, migrated, and Redis, within the start budget)
   * and returns what the gRPC server serves.
   */
  public static Consumer<GrpcServer.Builder> wire(RankingConfig config, ServiceHost host) {
    host.database(config.mysql());
    host.redis(config.redis());
    // Business logic arrives with the ranking-svc issue; until then the RPCs answer UNIMPLEMENTED.
    return server -> server.addService(new RankingServiceGrpc.RankingServiceImplBase() {});
  }
}
