package com.webook.platform.discovery;

import com.webook.platform.config.EtcdConfig;
import io.etcd.jetcd.Client;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's jetcd {@link Client}, replaced by a fresh one when etcd has not answered for a
 * while. gRPC channels back off between reconnect attempts up to two minutes; after a 30 s outage,
 * the old channel may wait most of a minute before it even tries again, and jetcd offers no way to
 * reset that backoff. A new client connects at once. Replacements are rate-limited to one per
 * {@code reconnectAfter}, so an outage costs a handful of cheap reconnects, no busy loop.
 *
 * <p>Users call {@link #client()} for every operation (never keep the instance) and report each
 * outcome with {@link #succeeded()} or {@link #failed()}. Thread-safe.
 */
public final class EtcdConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdConnection.class);

  private final Supplier<Client> factory;
  private final String endpoints;
  private final long reconnectAfterNanos;
  private volatile Client client;
  private volatile long failingSince;
  private volatile long lastReconnect;
  private volatile boolean closed;

  /**
   * @param factory builds a client (called now and on every replacement)
   * @param reconnectAfter how long etcd must have failed before the client is replaced
   * @param endpoints where the factory's clients connect, for messages
   */
  public EtcdConnection(Supplier<Client> factory, Duration reconnectAfter, List<String> endpoints) {
    this.factory = factory;
    this.endpoints = String.join(",", endpoints);
    this.reconnectAfterNanos = reconnectAfter.toNanos();
    this.client = factory.get();
    this.lastReconnect = System.nanoTime();
  }

  /** A connection to the configured endpoints (see {@link EtcdClients#connect}). */
  public static EtcdConnection open(EtcdConfig config) {
    return new EtcdConnection(
        () -> EtcdClients.connect(config), Duration.ofSeconds(2), config.endpoints());
  }

  /** The endpoints, comma-separated, for log lines and error messages. */
  public String endpoints() {
    return endpoints;
  }

  public Client client() {
    return client;
  }

  public void succeeded() {
    failingSince = 0;
  }

  /** Records a failed request; replaces the client once failures have lasted long enough. */
  public void failed() {
    long now = System.nanoTime();
    if (failingSince == 0) {
      failingSince = now;
      return;
    }
    if (now - failingSince >= reconnectAfterNanos && now - lastReconnect >= reconnectAfterNanos) {
      reconnect(now);
    }
  }

  private synchronized void reconnect(long now) {
    if (closed || now - lastReconnect < reconnectAfterNanos) {
      return;
    }
    lastReconnect = now;
    Client old = client;
    client = factory.get();
    log.debug(
        "etcd unanswered for {} ms; reconnecting with a fresh client",
        (now - failingSince) / 1_000_000);
    try {
      old.close();
    } catch (RuntimeException e) {
      log.debug("closing the old etcd client", e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    client.close();
  }
}
