package com.webook.interactive;

import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.Startup;
import java.util.function.Consumer;

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
    host.database(config.mysql());
    host.redis(config.redis());
    // Read events come from Kafka (SPEC §6.4): the start already waits for the cluster; the
    // consumer arrives with the interactive-svc issue (kafka.consumer(...), owned by its loop).
    host.kafka(config.kafka());
    // Business logic arrives with the interactive-svc issue; until then the RPCs answer
    // UNIMPLEMENTED.
    return server -> server.addService(new InteractiveServiceGrpc.InteractiveServiceImplBase() {});
  }
}
