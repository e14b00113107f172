package com.webook.platform.discovery;

import com.webook.platform.config.EtcdConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Builds the process's one jetcd {@link Client} from config. */
public final class EtcdClients {
  private EtcdClients() {}

  /**
   * A client that fails fast instead of queueing while etcd is unreachable ({@code
   * waitForReady=false}): the registrar and the resolver run their own retry loops with backoff,
   * and must learn about an outage rather than block on it.
   */
  public static Client connect(EtcdConfig config) {
    var builder = Client.builder();
    if (!config.namespace().isEmpty()) {
      builder.namespace(ByteSequence.from(config.namespace(), StandardCharsets.UTF_8));
    }
    return builder
        .endpoints(config.endpoints().toArray(String[]::new))
        .connectTimeout(config.connectTimeout())
        .waitForReady(false)
        .retryMaxAttempts(1)
        .retryMaxDuration(config.requestTimeout())
        .keepaliveTime(Duration.ofSeconds(10))
        .keepaliveTimeout(Duration.ofSeconds(3))
        .keepaliveWithoutCalls(true)
        .build();
  }
}
