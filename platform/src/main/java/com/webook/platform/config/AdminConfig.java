package com.webook.platform.config;

/** The admin HTTP port: {@code /metrics}, {@code /health/live}, {@code /health/ready}. */
public record AdminConfig(int port) {
  public AdminConfig {
    Check.port("port", port);
  }
}
