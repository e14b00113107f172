package com.webook.platform.server;

import com.webook.platform.config.ConfigException;
import com.webook.platform.retry.StartBudgetExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a composition root's start-up so that a bad configuration (exit 2) or a dependency that did
 * not answer within the start budget (exit 1) ends the process with one clear line instead of a
 * stack dump. Other failures exit 1 with their stack trace.
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
    } catch (StartBudgetExceededException e) {
      // The message names the dependency, its address, the budget and the cause: a stack trace
      // of the retry loop would only bury it.
      log.error("{} cannot start: {}", process, e.getMessage());
      System.exit(1);
    } catch (Exception e) {
      log.error("{} cannot start: {}", process, e.getMessage(), e);
      System.exit(1);
    }
  }
}
