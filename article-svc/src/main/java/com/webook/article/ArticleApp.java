package com.webook.article;

import com.webook.article.client.UserServiceAuthorNames;
import com.webook.article.events.KafkaReadEvents;
import com.webook.article.grpc.ArticleGrpcService;
import com.webook.article.repository.ArticleRepository;
import com.webook.article.repository.ReaderViews;
import com.webook.article.repository.cache.ArticleCache;
import com.webook.article.repository.dao.ArticleDao;
import com.webook.article.service.ArticleService;
import com.webook.article.service.ContentSanitizer;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.kafka.Kafka;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;

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
          host.serve(wire(config, host, ArticleDao::new));
        });
  }

  /**
   * Builds article-svc on {@code host}: its database (migrated), Redis and Kafka within the start
   * budget, the channel to user-svc for author names, the caches, the read-event producer, and
   * returns what the gRPC server serves.
   *
   * @param articleDao how the DAO is made from the database (tests pass a wrapping one)
   */
  public static Consumer<GrpcServer.Builder> wire(
      ArticleConfig config, ServiceHost host, Function<DSLContext, ArticleDao> articleDao) {
    PrometheusMeterRegistry metrics = host.metrics();
    Database db = host.database(config.mysql());
    Redis redis = host.redis(config.redis());
    Kafka kafka = host.kafka(config.kafka());

    ArticleDao dao = articleDao.apply(db.dsl());
    ArticleCache cache = new ArticleCache(redis.connection(), config.cache(), metrics);
    // Background cache work (pre-caching a first page's newest article): virtual threads, closed
    // with the host before Redis.
    ExecutorService background =
        host.onStop(
            Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("article-precache-", 0).factory()));
    ArticleRepository articles = new ArticleRepository(dao, cache, background, metrics);
    ReaderViews readers =
        new ReaderViews(dao, cache, new UserServiceAuthorNames(host.channel("user")), metrics);
    // Closed before Kafka (reverse order of registration): the queue reaches the producer, then
    // the host flushes and closes the producer.
    KafkaReadEvents readEvents =
        host.onStop(
            new KafkaReadEvents(
                kafka.producer(new StringSerializer(), new StringSerializer()),
                config.events(),
                Thread.ofPlatform().name("article-read-events").daemon().factory(),
                metrics));
    ArticleService service =
        new ArticleService(articles, readers, new ContentSanitizer(), readEvents, host.clock());

    return server -> server.addService(new ArticleGrpcService(service, host.clock()));
  }
}
