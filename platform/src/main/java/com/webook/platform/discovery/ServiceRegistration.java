package com.webook.platform.discovery;

/**
 * This process's entry in the service registry. {@link com.webook.platform.server.GrpcServer} calls
 * {@link #register()} once the server is serving and {@link #deregister()} first thing on a
 * graceful stop.
 */
public interface ServiceRegistration extends AutoCloseable {
  /**
   * Publishes the endpoint, waiting for the registry within the start budget; throws once the
   * budget is spent (a new instance nobody can find must not start quietly).
   */
  void register();

  /** Removes the endpoint now (revokes the lease) and stops re-registering. Idempotent. */
  void deregister();

  @Override
  default void close() {
    deregister();
  }
}
