package com.webook.bff;

import com.webook.platform.config.Check;

/**
 * The public HTTP listener.
 *
 * @param port listening port
 * @param maxRequestBytes larger request bodies are refused with 413
 */
public record HttpConfig(int port, long maxRequestBytes) {
  public HttpConfig {
    Check.port("port", port);
    Check.positive("maxRequestBytes", maxRequestBytes);
  }
}
