package com.webook.platform.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The scheduler's meters, all tagged with the job's name. */
final class JobMetrics {
  /** How a run ended ({@code jobs.runs{outcome}}). */
  enum Outcome {
    /** The executor returned; the job waits for its next fire time. */
    COMPLETED,
    /** The executor threw; the job waits for its next fire time all the same. */
    FAILED,
    /** Another instance took the row over (or its end could not be written): nothing recorded. */
    LOST,
    /** The scheduler closed during the run: the row was given back with its due time unchanged. */
    RELEASED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry registry;

  JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void run(String job, Outcome outcome, Duration duration) {
    Counter.builder("jobs.runs")
        .description("Job runs by how they ended")
        .tag("job", job)
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
    Timer.builder("jobs.run.duration")
        .description("How long job executors ran")
        .tag("job", job)
        .register(registry)
        .record(duration);
  }

  void takeover(String job) {
    counter("jobs.takeovers", "Running jobs taken over from a holder that stopped renewing", job);
  }

  void conflict(String job) {
    counter("jobs.preempt.conflicts", "Preemptions lost to another instance (CAS failed)", job);
  }

  void holdLost(String job) {
    counter("jobs.holds.lost", "Runs that learned from a renewal that the row was taken", job);
  }

  void renewalFailure(String job) {
    counter("jobs.renewal.failures", "Renewals that could not reach the database", job);
  }

  void pollFailure() {
    Counter.builder("jobs.poll.failures")
        .description("Background polls that failed (database unreachable)")
        .register(registry)
        .increment();
  }

  private void counter(String name, String description, String job) {
    Counter.builder(name).description(description).tag("job", job).register(registry).increment();
  }
}
