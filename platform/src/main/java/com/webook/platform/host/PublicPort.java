package com.webook.platform.host;

/**
 * What a process serves to its callers: a service's gRPC server, or the BFF's HTTP server. The
 * {@link ServiceHost} starts it after every dependency is connected and stops it first, before any
 * resource it uses is closed.
 */
public interface PublicPort {
  /** Binds and serves (for a gRPC server: then registers); returns once callers can be served. */
  void start() throws Exception;

  /**
   * Stops accepting calls and lets in-flight ones finish; returns when they have (or their time is
   * up). Called once.
   */
  void stop();

  /** For logs: {@code gRPC :8091}, {@code HTTP :8080}. */
  String describe();

  /** What starts the port. */
  @FunctionalInterface
  interface Start {
    void run() throws Exception;
  }

  /**
   * A port from two actions.
   *
   * @param description for logs, evaluated after start (so it may name a port picked at bind)
   */
  static PublicPort of(
      java.util.function.Supplier<String> description, Start start, Runnable stop) {
    return new PublicPort() {
      @Override
      public void start() throws Exception {
        start.run();
      }

      @Override
      public void stop() {
        stop.run();
      }

      @Override
      public String describe() {
        return description.get();
      }
    };
  }
}
