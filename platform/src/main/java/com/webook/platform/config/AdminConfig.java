package com.webook.platform.config;

/**
 * The admin HTTP port: {@code /metrics}, {@code /health/live}, {@code /health/ready}.
 *
 * @param port the port; 0 picks a free one (tests)
 */
public record AdminConfig(int port) {
  public AdminConfig {
    Check.range("port", port, 0, 65535);
  }
}
