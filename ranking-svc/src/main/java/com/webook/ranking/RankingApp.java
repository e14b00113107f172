package com.webook.ranking;

import com.webook.api.ranking.v1.RankingServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.Startup;

/** ranking-svc: main and composition root. The only class that knows every other class. */
public final class RankingApp {
  private RankingApp() {}

  public static void main(String[] args) {
    Startup.run(
        "ranking-svc",
        () -> {
          RankingConfig config = new ConfigLoader().load(RankingConfig.class, args);
          ServiceHost host = new ServiceHost("ranking-svc", config);
          host.database(config.mysql());
          host.redis(config.redis());
          // Business logic arrives with the ranking-svc issue; until then the RPCs answer
          // UNIMPLEMENTED.
          host.serve(
              server -> server.addService(new RankingServiceGrpc.RankingServiceImplBase() {}));
        });
  }
}
