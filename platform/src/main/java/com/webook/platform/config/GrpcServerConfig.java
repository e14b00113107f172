package com.webook.platform.config;

import java.time.Duration;

/**
 * The gRPC server of a service.
 *
 * @param port listening port (all interfaces)
 * @param advertiseHost the host other processes use to reach this one; registered in etcd
 * @param drainWindow after deregistering, how long to keep serving so clients learn the change
 * @param shutdownTimeout how long in-flight calls get to finish after the server stops accepting
 * @param maxInboundMessageSize largest request accepted, in bytes
 */
public record GrpcServerConfig(
    int port,
    String advertiseHost,
    Duration drainWindow,
    Duration shutdownTimeout,
    int maxInboundMessageSize) {
  public GrpcServerConfig {
    Check.port("port", port);
    Check.notBlank("advertiseHost", advertiseHost);
    Check.notNegative("drainWindow", drainWindow);
    Check.positive("shutdownTimeout", shutdownTimeout);
    Check.range("maxInboundMessageSize", maxInboundMessageSize, 1024, 64 * 1024 * 1024);
  }
}
