package com.webook.interactive;

import com.webook.api.intr.v1.InteractiveServiceGrpc;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.host.ServiceHost;
import com.webook.platform.server.Startup;

/** interactive-svc: main and composition root. The only class that knows every other class. */
public final class InteractiveApp {
  private InteractiveApp() {}

  public static void main(String[] args) {
    Startup.run(
        "interactive-svc",
        () -> {
          InteractiveConfig config = new ConfigLoader().load(InteractiveConfig.class, args);
          ServiceHost host = new ServiceHost("interactive-svc", config);
          host.database(config.mysql());
          host.redis(config.redis());
          // Business logic arrives with the interactive-svc issue; until then the RPCs answer
          // UNIMPLEMENTED.
          host.serve(
              server ->
                  server.addService(new InteractiveServiceGrpc.InteractiveServiceImplBase() {}));
        });
  }
}
