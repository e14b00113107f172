package com.webook.platform.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time a process may spend connecting to its dependencies at start (config {@code
 * startup.budget}), and the one way to spend it: {@link #connect} retries an attempt with {@link
 * Backoff} (capped, jittered) until it succeeds or the budget is spent.
 *
 * <p>Why: when several JVMs start at once on a small machine, Redis or MariaDB may take seconds to
 * answer a handshake. A process must wait for them, not die; but a dependency that never comes must
 * still end the start, with one clear line naming it. The budget is one deadline for the whole
 * start (not per dependency), so a process is either ready or gone within it.
 *
 * <p>Logging: the first failure of each dependency is logged once at WARN with its cause ({@code
 * waiting for Redis at redis://… (start budget 60s, 59s left): Connection refused}), later failures
 * only at DEBUG; success once at INFO. Thread-safe; {@link #connect} blocks the caller.
 */
public final class StartBudget {
  private static final Logger log = LoggerFactory.getLogger(StartBudget.class);
  private static final Pattern USER_INFO = Pattern.compile("//[^/@]*@");

  private final Duration budget;
  private final Instant deadline;
  private final Clock clock;
  private final Backoff backoff;
  private final Sleeper sleeper;

  /** One attempt to reach a dependency; throws when it cannot. */
  @FunctionalInterface
  public interface Attempt<T> {
    T call() throws Exception;
  }

  /** How the budget waits between attempts (a real sleep; tests advance a clock instead). */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * A budget of {@code budget} from now, waiting 200 ms → 5 s between attempts.
   *
   * @param budget total time for all dependencies; zero means one attempt each
   * @param clock the process's clock
   */
  public StartBudget(Duration budget, Clock clock) {
    this(budget, clock, Backoff.DEPENDENCY_RETRY, d -> Thread.sleep(d.toMillis()));
  }

  /**
   * For tests: a fake clock and a sleeper that advances it.
   *
   * @param budget total time for all dependencies
   * @param clock where "now" comes from
   * @param backoff waits between attempts
   * @param sleeper how to wait
   */
  public StartBudget(Duration budget, Clock clock, Backoff backoff, Sleeper sleeper) {
    if (budget.isNegative()) {
      throw new IllegalArgumentException("start budget must not be negative: " + budget);
    }
    this.budget = budget;
    this.clock = clock;
    this.deadline = clock.instant().plus(budget);
    this.backoff = backoff;
    this.sleeper = sleeper;
  }

  /** One attempt per dependency, no waiting: for tests and tools that must fail fast. */
  public static StartBudget none() {
    return new StartBudget(Duration.ZERO, Clock.systemUTC());
  }

  public Duration budget() {
    return budget;
  }

  /** What is left of the budget (zero once spent). */
  public Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * Runs {@code attempt} until it returns, waiting with backoff between failures, for at most the
   * remaining budget (the last wait is cut to what is left, then one last attempt runs).
   *
   * @param dependency what is connected to, for messages: {@code Redis}, {@code MariaDB} …
   * @param address where, for messages; user info in URLs ({@code //user:pw@}) is masked
   * @param attempt one connection attempt
   * @return what the successful attempt returned
   * @throws StartBudgetExceededException when the budget is spent; its message names the
   *     dependency, the address, the budget and the last cause
   */
  public <T> T connect(String dependency, String address, Attempt<T> attempt) {
    String where = mask(address);
    long started = System.nanoTime();
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        T result = attempt.call();
        if (attempts == 1) {
          log.info("connected to {} at {}", dependency, where);
        } else {
          log.info(
              "connected to {} at {} after {} attempts ({} ms)",
              dependency,
              where,
              attempts,
              (System.nanoTime() - started) / 1_000_000);
        }
        return result;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while connecting to " + dependency + " at " + where, e);
      } catch (Exception e) {
        Duration left = remaining();
        if (left.isZero()) {
          throw new StartBudgetExceededException(
              "cannot connect to "
                  + dependency
                  + " at "
                  + where
                  + " within the start budget of "
                  + seconds(budget)
                  + " ("
                  + attempts
                  + (attempts == 1 ? " attempt" : " attempts")
                  + "; config startup.budget): "
                  + describe(e),
              e);
        }
        if (attempts == 1) {
          log.warn(
              "waiting for {} at {} (start budget {}, {} left): {}",
              dependency,
              where,
              seconds(budget),
              seconds(left),
              describe(e));
        } else {
          log.debug("{} at {} still unavailable: {}", dependency, where, describe(e));
        }
        Duration wait = backoff.delay(attempts);
        try {
          sleeper.sleep(wait.compareTo(left) < 0 ? wait : left);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(
              "interrupted while waiting for " + dependency + " at " + where, ie);
        }
      }
    }
  }

  /** {@code 60s}, {@code 1.5s}: budgets are read by people. */
  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : String.format("%.1fs", ms / 1000.0);
  }

  static String mask(String address) {
    return USER_INFO.matcher(address).replaceFirst("//***@");
  }

  /** The exception's message, and its root cause's when that says something else. */
  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (root == e || root.getMessage() == null || top.contains(root.getMessage())) {
      return top;
    }
    return top + ": " + root.getMessage();
  }
}
