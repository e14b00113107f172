package com.webook.platform.host;

import com.webook.platform.health.ReadinessCheck;

/**
 * Where a process is in its life, as the readiness check {@code process} shows it: "connecting to
 * Redis at …" while starting, "started …" once serving and registered, "stopping" from the first
 * moment of a graceful stop. Written by the starting or stopping thread, read by probes.
 */
final class Lifecycle {
  private volatile String detail = "starting";
  private volatile boolean started;
  private volatile boolean stopping;

  void step(String what) {
    detail = what;
  }

  void started(String what) {
    detail = what;
    started = true;
  }

  void stopping() {
    stopping = true;
    detail = "stopping";
  }

  boolean isStarted() {
    return started && !stopping;
  }

  ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "process",
        () -> isStarted() ? ReadinessCheck.Result.ok(detail) : ReadinessCheck.Result.down(detail));
  }
}
