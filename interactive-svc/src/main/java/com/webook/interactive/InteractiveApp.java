package com.webook.interactive;

import com.webook.interactive.events.ReadEventConsumers;
import com.webook.interactive.events.ReadEventsConfig;
import com.webook.interactive.grpc.InteractiveGrpcService;
import com.webook.interactive.repository.CachedInteractiveRepository;
import com.webook.interactive.repository.ReadCountRepository;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.interactive.repository.dao.InteractiveDao;
import com.webook.interactive.repository.dao.ReadCountDao;
import com.webook.interactive.service.InteractiveService;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jooq.DSLContext;

/**
 * interactive-svc: main and composition root. {@link #wire} is the only code that knows every
 * class; {@link #main} and in-process tests build the service through it.
 */
public final class InteractiveApp {
  private InteractiveApp() {}

  public static void main(String[] args) {
    Startup.run(
        "interactive-svc",
        () -> {
          InteractiveConfig config = new ConfigLoader().load(InteractiveConfig.class, args);
          ServiceHost host = ServiceHost.forProcess("interactive-svc", config);
          host.serve(wire(config, host));
        });
  }

  /**
   * Builds interactive-svc on {@code host}: its database (migrated), Redis and Kafka within the
   * start budget, the counter cache, the read-event consumers (started once the service serves),
   * and returns what the gRPC server serves.
   */
  public static Consumer<GrpcServer.Builder> wire(InteractiveConfig config, ServiceHost host) {
    return wire(config, host, InteractiveDao::new);
  }

  /**
   * {@link #wire(InteractiveConfig, ServiceHost)} with the DAO made by {@code interactiveDao} from
   * the database (tests pass a wrapping one).
   */
  public static Consumer<GrpcServer.Builder> wire(
      InteractiveConfig config,
      ServiceHost host,
      Function<DSLContext, InteractiveDao> interactiveDao) {
    PrometheusMeterRegistry metrics = host.metrics();
    Database db = host.database(config.mysql());
    Redis redis = host.redis(config.redis());
    Kafka kafka = host.kafka(config.kafka());

    InteractiveCache cache = new InteractiveCache(redis.connection(), config.cache());
    CachedInteractiveRepository repository =
        new CachedInteractiveRepository(interactiveDao.apply(db.dsl()), cache, metrics);
    // Get's user-state query runs beside its counter lookup: virtual threads (each blocks on one
    // JDBC call), closed with the host before the database.
    ExecutorService userStateLookups =
        host.onStop(
            Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("interactive-user-state-", 0).factory()));
    InteractiveService service = new InteractiveService(repository, userStateLookups, host.clock());
    readEvents(config.events(), host, db, kafka, cache);

    return server -> server.addService(new InteractiveGrpcService(service));
  }

  /**
   * The {@code article_read} consumers (SPEC §6.4; README "Read events"), started once the service
   * serves. Registered with {@code onStop} after Kafka, Redis and the database, so on SIGTERM they
   * close first: each applies its last batch, stores its positions and leaves the group; then the
   * host flushes the DLQ producer and closes Kafka, Redis and the database.
   */
  public static ReadEventConsumers readEvents(
      ReadEventsConfig events, ServiceHost host, Database db, Kafka kafka, InteractiveCache cache) {
    ReadCountRepository readCounts =
        new ReadCountRepository(new ReadCountDao(db.dsl()), cache, host.clock(), host.metrics());
    ReadEventConsumers consumers =
        host.onStop(
            new ReadEventConsumers(
                events,
                () ->
                    kafka.consumer(
                        events.group(), new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                readCounts,
                kafka.producer(new ByteArraySerializer(), new ByteArraySerializer()),
                Thread.ofPlatform().name("interactive-read-consumer-", 0).factory(),
                host.metrics()));
    host.afterStart(consumers::start);
    return consumers;
  }
}
