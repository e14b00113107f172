package com.webook.platform.server;

import com.webook.platform.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a composition root's start-up so that a bad configuration or an unreachable dependency ends
 * the process with one clear line and a non-zero exit code instead of a stack dump.
 */
public final class Startup {
  private static final Logger log = LoggerFactory.getLogger(Startup.class);

  private Startup() {}

  /** Something a main does to start; may throw. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  public static void run(String process, Step start) {
    try {
      start.run();
    } catch (ConfigException e) {
      log.error("{} cannot start: {}", process, e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      log.error("{} cannot start: {}", process, e.getMessage(), e);
      System.exit(1);
    }
  }
}
