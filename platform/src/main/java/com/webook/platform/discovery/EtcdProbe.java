package com.webook.platform.discovery;

import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Catches what a watch alone can miss: a cheap count-only GET under the registry root, run by the
 * directory every {@code probeInterval}. etcd not answering marks every list stale; etcd answering
 * again, or answering as another cluster (wiped and restarted) or with an older revision (restored
 * from a backup), makes every watch re-list — events may have been lost in between.
 *
 * <p>Loop thread only (the directory's loop runs {@link #run()} and the callbacks).
 */
final class EtcdProbe {
  private static final Logger log = LoggerFactory.getLogger(EtcdProbe.class);

  private final EtcdConnection etcd;
  private final Duration requestTimeout;
  private final Executor loop;
  private final Supplier<Collection<ServiceWatch>> watches;
  private long knownClusterId;
  private boolean failing;

  EtcdProbe(
      EtcdConnection etcd,
      Duration requestTimeout,
      Executor loop,
      Supplier<Collection<ServiceWatch>> watches) {
    this.etcd = etcd;
    this.requestTimeout = requestTimeout;
    this.loop = loop;
    this.watches = watches;
  }

  /** A listing saw this cluster id: later probes compare against it. */
  void clusterSeen(long clusterId) {
    knownClusterId = clusterId;
  }

  void run() {
    if (watches.get().isEmpty()) {
      return;
    }
    etcd.client()
        .getKVClient()
        .get(
            RegistryKeys.bytes(RegistryKeys.ROOT),
            GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (r, err) -> {
              if (err != null) {
                etcd.failed();
                if (!failing) {
                  log.warn(
                      "etcd is not answering ({}); serving the last known endpoints",
                      err.toString());
                }
                failing = true;
                watches.get().forEach(ServiceWatch::markStale);
                return;
              }
              etcd.succeeded();
              long cluster = r.getHeader().getClusterId();
              boolean clusterChanged = knownClusterId != 0 && cluster != knownClusterId;
              knownClusterId = cluster;
              for (ServiceWatch w : watches.get()) {
                if (failing || clusterChanged || r.getHeader().getRevision() < w.revision()) {
                  w.relist(
                      clusterChanged
                          ? "etcd cluster changed"
                          : failing ? "etcd is back" : "etcd revision went back");
                }
              }
              failing = false;
            },
            loop);
  }
}
