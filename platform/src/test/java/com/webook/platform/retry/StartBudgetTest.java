package com.webook.platform.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The start budget on a fake clock: retries, waits, the one log line, the final message. */
class StartBudgetTest {
  /** A clock the sleeper moves forward; nothing really sleeps. */
  private static final class FakeTime extends Clock {
    Instant now = Instant.parse("2025-01-01T00:00:00Z");
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void sleep(Duration d) {
      sleeps.add(d);
      now = now.plus(d);
    }
  }

  private final FakeTime time = new FakeTime();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(StartBudget.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
    logger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
    logger.setLevel(null);
  }

  /** Upper bound of every wait: 200 ms doubling to 1 s (no jitter below the base). */
  private StartBudget budget(Duration total) {
    return new StartBudget(
        total,
        time,
        new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), bound -> bound - 1),
        time::sleep);
  }

  @Test
  void retriesUntilTheDependencyAnswersWaitingWithBackoffAndLoggingTheWaitOnce() {
    int[] calls = {0};
    String result =
        budget(Duration.ofSeconds(60))
            .connect(
                "Redis",
                "redis://127.0.0.1:16379",
                () -> {
                  if (++calls[0] < 5) {
                    throw new ConnectException("Connection refused");
                  }
                  return "connection";
                });

    assertThat(result).isEqualTo("connection");
    assertThat(calls[0]).isEqualTo(5);
    assertThat(time.sleeps)
        .containsExactly(
            Duration.ofMillis(200),
            Duration.ofMillis(400),
            Duration.ofMillis(800),
            Duration.ofSeconds(1));
    assertThat(messages(Level.WARN))
        .containsExactly(
            "waiting for Redis at redis://127.0.0.1:16379 (start budget 60s, 60s left):"
                + " Connection refused");
    assertThat(messages(Level.INFO))
        .singleElement()
        .asString()
        .startsWith("connected to Redis at redis://127.0.0.1:16379 after 5 attempts");
  }

  @Test
  void aSpentBudgetFailsNamingTheDependencyAddressBudgetAndLastCause() {
    int[] calls = {0};
    StartBudgetExceededException e =
        catchThrowableOfType(
            StartBudgetExceededException.class,
            () ->
                budget(Duration.ofSeconds(3))
                    .connect(
                        "MariaDB",
                        "jdbc:mariadb://127.0.0.1:13316/webook_user",
                        () -> {
                          calls[0]++;
                          throw new IOException("attempt " + calls[0] + " refused");
                        }));

    assertThat(e)
        .hasMessage(
            "cannot connect to MariaDB at jdbc:mariadb://127.0.0.1:13316/webook_user within the"
                + " start budget of 3s ("
                + calls[0]
                + " attempts; config startup.budget): attempt "
                + calls[0]
                + " refused");
    // 200 + 400 + 800 + 1000 ms, then the wait is cut to the 600 ms left, then one last attempt.
    assertThat(time.sleeps.getLast()).isEqualTo(Duration.ofMillis(600));
    assertThat(time.sleeps.stream().mapToLong(Duration::toMillis).sum()).isEqualTo(3000);
    assertThat(calls[0]).isEqualTo(time.sleeps.size() + 1);
    assertThat(messages(Level.WARN)).hasSize(1);
  }

  @Test
  void aZeroBudgetMakesOneAttemptAndNeverWaits() {
    StartBudgetExceededException e =
        catchThrowableOfType(
            StartBudgetExceededException.class,
            () ->
                budget(Duration.ZERO)
                    .connect(
                        "Kafka",
                        "127.0.0.1:19094",
                        () -> {
                          throw new IllegalStateException("outer", new ConnectException("inner"));
                        }));
    assertThat(e.getMessage())
        .contains("within the start budget of 0s (1 attempt;")
        .endsWith(": outer: inner");
    assertThat(time.sleeps).isEmpty();
  }

  @Test
  void theBudgetIsOneDeadlineSharedByEveryDependency() {
    StartBudget shared = budget(Duration.ofSeconds(2));
    int[] calls = {0};
    shared.connect(
        "MariaDB",
        "db",
        () -> {
          if (++calls[0] < 3) {
            throw new IOException("not yet");
          }
          return 1;
        });
    assertThat(shared.remaining()).isEqualTo(Duration.ofMillis(1400));
    StartBudgetExceededException e =
        catchThrowableOfType(
            StartBudgetExceededException.class,
            () ->
                shared.connect(
                    "Redis",
                    "redis://:secret@127.0.0.1:1",
                    () -> {
                      throw new IOException("refused");
                    }));
    assertThat(e.getMessage())
        .as("the address's password is masked")
        .startsWith(
            "cannot connect to Redis at redis://***@127.0.0.1:1 within the start budget of 2s");
    assertThat(shared.remaining()).isZero();
  }

  private List<String> messages(Level level) {
    return logs.list.stream()
        .filter(e -> e.getLevel() == level)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
