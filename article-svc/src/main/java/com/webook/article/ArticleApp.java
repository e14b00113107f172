package com.webook.article;

import com.webook.api.article.v1.ArticleServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.Startup;

/** article-svc: main and composition root. The only class that knows every other class. */
public final class ArticleApp {
  private ArticleApp() {}

  public static void main(String[] args) {
    Startup.run(
        "article-svc",
        () -> {
          ArticleConfig config = new ConfigLoader().load(ArticleConfig.class, args);
          ServiceHost host = new ServiceHost("article-svc", config);
          host.database(config.mysql());
          host.redis(config.redis());
          // Business logic arrives with the article-svc issue; until then the RPCs answer
          // UNIMPLEMENTED.
          host.serve(
              server -> server.addService(new ArticleServiceGrpc.ArticleServiceImplBase() {}));
        });
  }
}
