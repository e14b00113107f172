package com.webook.platform.discovery;

import com.webook.platform.discovery.ServiceDirectory.Endpoint;
import com.webook.platform.discovery.ServiceDirectory.Snapshot;
import com.webook.platform.retry.Backoff;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared watch of one service (SPEC §8.2): a GET by prefix, then a WATCH from the next
 * revision; every change is published whole to every subscriber.
 *
 * <p>Any break — watch error or completion, compaction, or the directory's probe finding etcd back,
 * wiped or restored ({@link #relist}) — leads to the same recovery: re-list at the current revision
 * and re-watch from there, so no DELETE is lost. While etcd does not answer, the last list stays
 * published and is marked stale; retries follow the shared {@link Backoff}, so an outage costs no
 * CPU. Removals pass through {@link SelfProtection} before they are published.
 *
 * <p>Threading: confined to the directory's loop (one thread); etcd callbacks hop back to it.
 * Subscribers are called on the loop and must hand off quickly. Only what readiness and the gauges
 * read from other threads is volatile.
 */
final class ServiceWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);

  /**
   * What every watch of one directory shares.
   *
   * @param loop the directory's single-threaded loop; all state of a watch is confined to it
   * @param clusterIdSeen told the cluster id of every successful listing (the probe compares it)
   */
  record Shared(
      EtcdConnection etcd,
      Duration requestTimeout,
      Duration refreshMinInterval,
      SelfProtection protection,
      Backoff backoff,
      Clock clock,
      ScheduledExecutorService loop,
      MeterRegistry registry,
      LongConsumer clusterIdSeen) {}

  private final String service;
  private final ByteSequence prefix;
  private final Shared shared;
  private final ResolverMetrics metrics;
  private final List<Consumer<Snapshot>> subscribers = new CopyOnWriteArrayList<>();

  // Loop thread only.
  private Map<String, Endpoint> current = Map.of(); // what etcd lists, by instance id
  private SelfProtection.State protection = SelfProtection.State.NONE;
  private List<Endpoint> published = List.of(); // current + held
  private Watch.Watcher watcher;
  private long revision;
  private int generation; // callbacks of older listings and watchers carry an older one
  private int failures;
  private Instant lastRefresh;
  private ScheduledFuture<?> retryTask;
  private ScheduledFuture<?> graceTask;
  private boolean closed;

  // Read by readiness and gauges from other threads.
  private volatile boolean watching;
  private volatile boolean listed;
  private volatile long staleSinceMillis;
  private volatile String lastError;
  private volatile int endpointCount;
  private volatile int heldCount;

  ServiceWatch(String service, Shared shared) {
    this.service = service;
    this.prefix = RegistryKeys.bytes(RegistryKeys.servicePrefix(service));
    this.shared = shared;
    this.metrics =
        new ResolverMetrics(
            shared.registry(),
            service,
            new ResolverMetrics.Readings() {
              @Override
              public int endpoints() {
                return endpointCount;
              }

              @Override
              public int held() {
                return heldCount;
              }

              @Override
              public double staleSeconds() {
                return staleness().toMillis() / 1000.0;
              }
            });
  }

  String service() {
    return service;
  }

  /** Lists for the first time (and watches from there). */
  void start() {
    relist("start");
  }

  /** Adds a subscriber and hands it the current list at once, if there is one. */
  void add(Consumer<Snapshot> subscriber) {
    subscribers.add(subscriber);
    if (listed) {
      deliver(subscriber, snapshot());
    } else if (lastError != null) {
      deliver(subscriber, errorSnapshot());
    }
  }

  /** Removes a subscriber; returns how many are left. */
  int remove(Consumer<Snapshot> subscriber) {
    subscribers.remove(subscriber);
    return subscribers.size();
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** {@code refresh()} from a resolver: re-list at most every {@code refreshMinInterval}. */
  void refreshIfDue() {
    Instant now = shared.clock().instant();
    if (lastRefresh == null || !now.isBefore(lastRefresh.plus(shared.refreshMinInterval()))) {
      lastRefresh = now;
      relist("refresh requested");
    } else if (listed) {
      publish();
    }
  }

  /** Re-lists at the current revision and re-watches from there. */
  void relist(String reason) {
    if (closed) {
      return;
    }
    int gen = ++generation;
    cancel(retryTask);
    metrics.relists.increment();
    log.debug("listing {} ({})", service, reason);
    shared
        .etcd()
        .client()
        .getKVClient()
        .get(prefix, GetOption.builder().isPrefix(true).build())
        .orTimeout(shared.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync((r, err) -> onList(gen, r, err), shared.loop());
  }

  /** etcd did not answer the probe: the list is stale from now on (if it was not already). */
  void markStale() {
    if (staleSinceMillis == 0) {
      staleSinceMillis = shared.clock().millis();
    }
  }

  /** The revision of the last listing or event seen. */
  long revision() {
    return revision;
  }

  boolean isWatching() {
    return watching;
  }

  boolean isListed() {
    return listed;
  }

  /** Why the service has no list at all (etcd unreachable since the start), or null. */
  String lastError() {
    return lastError;
  }

  /** How long the list has been stale; zero while fresh. */
  Duration staleness() {
    long since = staleSinceMillis;
    return since == 0
        ? Duration.ZERO
        : Duration.ofMillis(Math.max(0, shared.clock().millis() - since));
  }

  /** Stops watching, cancels what is scheduled and removes the gauges. Loop thread. */
  @Override
  public void close() {
    closed = true;
    closeWatcher();
    cancel(retryTask);
    cancel(graceTask);
    metrics.close();
  }

  // ---------------------------------------------------------------- listing and watching

  private void onList(int gen, GetResponse r, Throwable err) {
    if (gen != generation || closed) {
      return;
    }
    if (err != null) {
      shared.etcd().failed();
      markStale();
      lastError = "etcd unreachable: " + rootMessage(err);
      if (!listed) {
        publishError();
      }
      scheduleRetry();
      return;
    }
    shared.etcd().succeeded();
    failures = 0;
    lastError = null;
    revision = r.getHeader().getRevision();
    shared.clusterIdSeen().accept(r.getHeader().getClusterId());
    Map<String, Endpoint> fresh = new LinkedHashMap<>();
    for (KeyValue kv : r.getKvs()) {
      Endpoint e = decode(kv);
      if (e != null) {
        fresh.put(e.instanceId(), e);
      }
    }
    closeWatcher();
    openWatcher(revision + 1);
    if (staleSinceMillis != 0) {
      log.info("{}: etcd answers again; list refreshed ({} endpoints)", service, fresh.size());
    }
    staleSinceMillis = 0;
    listed = true;
    apply(fresh);
  }

  private void openWatcher(long fromRevision) {
    int gen = generation;
    WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
    watcher =
        shared
            .etcd()
            .client()
            .getWatchClient()
            .watch(
                prefix,
                option,
                Watch.listener(
                    resp -> onLoop(() -> onEvents(gen, resp)),
                    error -> onLoop(() -> onWatchBroken(gen, error)),
                    () -> onLoop(() -> onWatchBroken(gen, null))));
    watching = true;
  }

  private void closeWatcher() {
    if (watcher != null) {
      Watch.Watcher w = watcher;
      watcher = null;
      watching = false;
      generation++; // callbacks of the old watcher are ignored from now on
      try {
        w.close();
      } catch (RuntimeException e) {
        log.debug("closing watcher of {}", service, e);
      }
    }
  }

  private void onEvents(int gen, WatchResponse resp) {
    if (gen != generation || closed) {
      return;
    }
    Map<String, Endpoint> next = new LinkedHashMap<>(current);
    for (WatchEvent ev : resp.getEvents()) {
      KeyValue kv = ev.getKeyValue();
      revision = Math.max(revision, kv.getModRevision());
      String id = instanceId(kv.getKey());
      if (ev.getEventType() == WatchEvent.EventType.DELETE) {
        next.remove(id);
      } else if (ev.getEventType() == WatchEvent.EventType.PUT) {
        Endpoint e = decode(kv);
        if (e != null) {
          next.put(id, e);
        } else {
          next.remove(id);
        }
      }
    }
    failures = 0;
    apply(next);
  }

  private void onWatchBroken(int gen, Throwable error) {
    if (gen != generation || closed) {
      return;
    }
    closeWatcher();
    if (error instanceof CompactedException) {
      log.info("{}: watch revision compacted; re-listing", service);
      relist("compacted");
      return;
    }
    log.debug(
        "{}: watch broken ({}); re-listing",
        service,
        error == null ? "completed" : error.toString());
    markStale();
    scheduleRetry();
  }

  private void scheduleRetry() {
    failures++;
    cancel(retryTask);
    retryTask =
        shared
            .loop()
            .schedule(
                () -> relist("retry after failure"),
                shared.backoff().delay(failures).toMillis(),
                TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- protecting and publishing

  private void apply(Map<String, Endpoint> next) {
    SelfProtection.Decision d =
        shared.protection().update(protection, current, next, shared.clock().instant());
    if (d.newlyHeld() > 0) {
      log.warn(
          "{}: etcd dropped {} of {} endpoints at once; holding them for {} (self-protection)",
          service,
          d.newlyHeld(),
          current.size(),
          shared.protection().grace());
    }
    current = Map.copyOf(next);
    accept(d);
    metrics.updates.increment();
    publish();
  }

  private void accept(SelfProtection.Decision d) {
    protection = d.state();
    published = d.publish();
    endpointCount = current.size();
    heldCount = protection.held().size();
    scheduleGraceEnd(d.graceEndsAt());
  }

  private void scheduleGraceEnd(Optional<Instant> at) {
    cancel(graceTask);
    graceTask = null;
    if (at.isEmpty()) {
      return;
    }
    long delay = Math.max(0, Duration.between(shared.clock().instant(), at.get()).toMillis());
    graceTask = shared.loop().schedule(this::onGraceEnd, delay, TimeUnit.MILLISECONDS);
  }

  private void onGraceEnd() {
    if (closed) {
      return;
    }
    SelfProtection.Decision d =
        shared.protection().expire(protection, current, shared.clock().instant());
    accept(d);
    if (d.released() > 0) {
      log.info("{}: self-protection grace over; dropping {} held endpoints", service, d.released());
      publish();
    }
  }

  private Snapshot snapshot() {
    return new Snapshot(service, published, staleSinceMillis, null);
  }

  private Snapshot errorSnapshot() {
    return new Snapshot(service, List.of(), staleSinceMillis, lastError);
  }

  private void publish() {
    Snapshot s = snapshot();
    subscribers.forEach(sub -> deliver(sub, s));
  }

  private void publishError() {
    Snapshot s = errorSnapshot();
    subscribers.forEach(sub -> deliver(sub, s));
  }

  private void deliver(Consumer<Snapshot> subscriber, Snapshot s) {
    try {
      subscriber.accept(s);
    } catch (RuntimeException e) {
      log.warn("directory listener of {} failed", service, e);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Runs {@code task} on the loop; after the loop's owner shut it down there is nothing to do. */
  private void onLoop(Runnable task) {
    try {
      shared.loop().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("{}: directory loop is shut down; dropping an etcd callback", service);
    }
  }

  private Endpoint decode(KeyValue kv) {
    String id = instanceId(kv.getKey());
    try {
      ServiceInstance i = RegistryKeys.decode(kv.getValue());
      return new Endpoint(id, i, new InetSocketAddress(i.host(), i.port()), false);
    } catch (IllegalArgumentException e) {
      metrics.decodeErrors.increment();
      log.warn("{}: ignoring unreadable registry entry {}: {}", service, id, e.getMessage());
      return null;
    }
  }

  private String instanceId(ByteSequence key) {
    String k = key.toString(StandardCharsets.UTF_8);
    return k.substring(prefix.size());
  }

  private static void cancel(ScheduledFuture<?> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
  }
}
