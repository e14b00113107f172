package com.webook.article;

import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import java.util.function.Consumer;

/**
 * article-svc: main and composition root. {@link #wire} is the only code that knows every class;
 * {@link #main} and in-process tests build the service through it.
 */
public final class ArticleApp {
  private ArticleApp() {}

  public static void main(String[] args) {
    Startup.run(
        "article-svc",
        () -> {
          ArticleConfig config = new ConfigLoader().load(ArticleConfig.class, args);
          ServiceHost host = ServiceHost.forProcess("article-svc", config);
          host.serve(wire(config, host));
        });
  }

  /**
   * Builds article-svc on {@code host} (its database, migrated, and Redis, within the start budget)
   * and returns what the gRPC server serves.
   */
  public static Consumer<GrpcServer.Builder> wire(ArticleConfig config, ServiceHost host) {
    host.database(config.mysql());
    host.redis(config.redis());
    // Read events go to Kafka (SPEC §5.3): the start already waits for the cluster; the
    // producer arrives with the article-svc issue (kafka.producer(...), closed by the host).
    host.kafka(config.kafka());
    // Business logic arrives with the article-svc issue; until then the RPCs answer UNIMPLEMENTED.
    return server -> server.addService(new ArticleServiceGrpc.ArticleServiceImplBase() {});
  }
}
