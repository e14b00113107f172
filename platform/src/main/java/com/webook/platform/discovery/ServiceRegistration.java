package com.webook.platform.discovery;

/**
 * This process's entry in the service registry. {@link com.webook.platform.server.GrpcServer} calls
 * {@link #register()} once the server is serving and {@link #deregister()} first thing on a
 * graceful stop.
 */
public interface ServiceRegistration extends AutoCloseable {
  /** Publishes the endpoint; throws if the registry cannot be reached at start (fail fast). */
  void register();

  /** Removes the endpoint now (revokes the lease) and stops re-registering. Idempotent. */
  void deregister();

  @Override
  default void close() {
    deregister();
  }
}
