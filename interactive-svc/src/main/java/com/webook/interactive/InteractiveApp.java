package com.webook.interactive;

import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.interactive.events.ReadEventConsumers;
import com.webook.interactive.events.ReadEventsConfig;
import com.webook.interactive.repository.ReadCountRepository;
import com.webook.interactive.repository.cache.InteractiveCache;
import com.webook.interactive.repository.dao.ReadCountDao;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.db.Database;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.kafka.Kafka;
import com.webook.platform.redis.Redis;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

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
   * Builds interactive-svc on {@code host} (its database, migrated, and Redis, within the start
   * budget) and returns what the gRPC server serves.
   */
  public static Consumer<GrpcServer.Builder> wire(InteractiveConfig config, ServiceHost host) {
    Database db = host.database(config.mysql());
    Redis redis = host.redis(config.redis());
    Kafka kafka = host.kafka(config.kafka());
    InteractiveCache cache = new InteractiveCache(redis.connection(), config.cache());
    readEvents(config.events(), host, db, kafka, cache);
    // Business logic arrives with the interactive-svc issue; until then the RPCs answer
    // UNIMPLEMENTED.
    return server -> server.addService(new InteractiveServiceGrpc.InteractiveServiceImplBase() {});
  }

  // ---- Read events (SPEC §6.4; README "Read events"): the article_read consumer. ----

  /**
   * Builds the read-event consumers and starts them once the service serves. Registered with {@code
   * onStop} after Kafka, Redis and the database, so on SIGTERM they close first: each applies its
   * last batch, stores its positions and leaves the group; then the host flushes the DLQ producer
   * and closes Kafka, Redis and the database.
   */
  static ReadEventConsumers readEvents(
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
  // ---- end of read events ----
}
