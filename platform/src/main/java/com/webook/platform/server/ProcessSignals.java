package com.webook.platform.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a graceful stop that ends with exit code 0, as Kubernetes and our
 * scripts expect. A JVM shutdown hook alone would exit with 143 and would race other hooks;
 * handling the signal lets the stop run to completion first. A shutdown hook still covers other
 * exits (e.g. {@code System.exit} elsewhere).
 */
public final class ProcessSignals {
  private static final Logger log = LoggerFactory.getLogger(ProcessSignals.class);

  private ProcessSignals() {}

  /** On SIGTERM/SIGINT runs {@code stop} on a new thread, then exits with 0 (1 if stop threw). */
  public static void onTerminate(Runnable stop) {
    Runnable stopThenExit =
        () -> {
          int code = 0;
          try {
            stop.run();
          } catch (RuntimeException e) {
            log.error("graceful stop failed", e);
            code = 1;
          }
          System.exit(code);
        };
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          sig -> {
            log.info("received SIG{}", name);
            Thread.ofPlatform().name("graceful-stop").start(stopThenExit);
          });
    }
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("stop-hook").unstarted(stop));
  }
}
