package com.webook.platform.discovery;

import com.webook.platform.config.DiscoveryConfig;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd-backed {@link ServiceDirectory}: one shared, reference-counted watch per service and
 * process (SPEC §8.2), kept outside any resolver so that a channel going idle and waking up (it
 * shuts its resolver down and builds a new one) gets the cached list at once and never leaks a
 * watch.
 *
 * <p>Per service: a GET by prefix, then a WATCH from the next revision. Any break — watch error,
 * compaction, unexpected completion, a probe that finds etcd restarted, wiped or restored — leads
 * to the same recovery: re-list at the current revision and re-watch from there, so no DELETE is
 * lost. While etcd does not answer, the last list stays published (stale, but serving) and the
 * staleness is exposed as a metric; retries back off up to 5 s, so an outage costs no CPU.
 *
 * <p>Self-protection: an update that empties the list or removes more than {@link
 * DiscoveryConfig#maxRemovalShare()} of it within the grace period keeps the removed endpoints,
 * marked {@link EndpointAttributes#HELD}, for {@link DiscoveryConfig#protectionGrace()}; the
 * balancer drops a held endpoint as soon as its connection fails. etcd is CP: when it loses leases
 * in bulk (wipe, partition on its side), clients must stay available.
 *
 * <p>Threading: all state is confined to one loop thread; etcd I/O is asynchronous and its
 * callbacks hop back to the loop. Listeners are called on the loop thread and must hand off quickly
 * (the resolver posts to its synchronization context).
 */
public final class EtcdServiceDirectory implements ServiceDirectory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdServiceDirectory.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final EtcdConnection etcd;
  private final DiscoveryConfig config;
  private final Duration requestTimeout;
  private final MeterRegistry metrics;
  private final ScheduledExecutorService loop;
  private final Map<String, ServiceWatch> watches = new HashMap<>(); // loop thread only
  private final Map<String, ServiceWatch> watchView =
      new ConcurrentHashMap<>(); // for gauges/readiness
  private final ScheduledFuture<?> probe;
  private long knownClusterId;
  private boolean probeFailing;

  public EtcdServiceDirectory(
      EtcdConnection etcd, DiscoveryConfig config, Duration requestTimeout, MeterRegistry metrics) {
    this.etcd = etcd;
    this.config = config;
    this.requestTimeout = requestTimeout;
    this.metrics = metrics != null ? metrics : new SimpleMeterRegistry();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "etcd-directory");
              t.setDaemon(true);
              return t;
            });
    this.probe =
        loop.scheduleWithFixedDelay(
            this::probe,
            config.probeInterval().toMillis(),
            config.probeInterval().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  public Subscription subscribe(String service, Consumer<Snapshot> listener) {
    Subscriber s = new Subscriber(listener);
    loop.execute(() -> watch(service).add(s));
    return () ->
        loop.execute(
            () -> {
              ServiceWatch w = watches.get(service);
              if (w != null) {
                w.remove(s);
              }
            });
  }

  @Override
  public void requestRefresh(String service) {
    loop.execute(
        () -> {
          ServiceWatch w = watches.get(service);
          if (w != null) {
            w.refreshIfDue();
          }
        });
  }

  /** How long the list of {@code service} has been stale, or zero when fresh or unknown. */
  public Duration staleness(String service) {
    ServiceWatch w = watchView.get(service);
    long since = w == null ? 0 : w.staleSince;
    return since == 0 ? Duration.ZERO : Duration.ofMillis(System.currentTimeMillis() - since);
  }

  /**
   * Readiness of discovery: not ready while a watched service has never been listed (nothing to
   * route to); a stale list is still ready — serving from it is the point — and its age is shown.
   */
  public com.webook.platform.health.ReadinessCheck readinessCheck() {
    return com.webook.platform.health.ReadinessCheck.of(
        "discovery",
        () -> {
          StringBuilder detail = new StringBuilder();
          boolean ready = true;
          for (ServiceWatch w : watchView.values()) {
            if (!w.listed) {
              ready = false;
              detail.append(w.service).append(": never listed");
              if (w.lastError != null) {
                detail.append(" (").append(w.lastError).append(')');
              }
              detail.append("; ");
            } else if (w.staleSince != 0) {
              detail
                  .append(w.service)
                  .append(": stale for ")
                  .append((System.currentTimeMillis() - w.staleSince) / 1000)
                  .append(" s; ");
            }
          }
          String text = detail.isEmpty() ? "fresh " + watchView.keySet() : detail.toString().trim();
          return ready
              ? com.webook.platform.health.ReadinessCheck.Result.ok(text)
              : com.webook.platform.health.ReadinessCheck.Result.down(text);
        });
  }

  /** Number of live etcd watches (for tests and the admin page). */
  public int activeWatches() {
    return (int) watchView.values().stream().filter(w -> w.watcher != null).count();
  }

  @Override
  public void close() {
    probe.cancel(false);
    try {
      loop.submit(
              () -> {
                watches.values().forEach(ServiceWatch::closeWatcher);
                watches.clear();
                watchView.clear();
              })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("closing directory", e);
    }
    loop.shutdownNow();
  }

  private ServiceWatch watch(String service) {
    return watches.computeIfAbsent(
        service,
        s -> {
          ServiceWatch w = new ServiceWatch(s);
          watchView.put(s, w);
          w.relist("start");
          return w;
        });
  }

  /**
   * Catches what a watch alone can miss: etcd down (mark stale), back (re-list: events may have
   * been lost), restarted as another cluster or restored to an older revision (re-list).
   */
  private void probe() {
    if (watches.isEmpty()) {
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
                if (!probeFailing) {
                  log.warn(
                      "etcd is not answering ({}); serving the last known endpoints",
                      err.toString());
                }
                probeFailing = true;
                watches.values().forEach(ServiceWatch::markStale);
                return;
              }
              etcd.succeeded();
              long cluster = r.getHeader().getClusterId();
              boolean clusterChanged = knownClusterId != 0 && cluster != knownClusterId;
              knownClusterId = cluster;
              for (ServiceWatch w : watches.values()) {
                if (probeFailing || clusterChanged || r.getHeader().getRevision() < w.revision) {
                  w.relist(
                      clusterChanged
                          ? "etcd cluster changed"
                          : probeFailing ? "etcd is back" : "etcd revision went back");
                }
              }
              probeFailing = false;
            },
            loop);
  }

  private final class Subscriber {
    final Consumer<Snapshot> listener;

    Subscriber(Consumer<Snapshot> listener) {
      this.listener = listener;
    }

    void deliver(Snapshot s) {
      try {
        listener.accept(s);
      } catch (RuntimeException e) {
        log.warn("directory listener failed", e);
      }
    }
  }

  private record Held(ServiceDirectory.Endpoint endpoint, long untilMillis) {}

  /** The shared watch of one service. Loop thread only. */
  private final class ServiceWatch {
    final String service;
    final ByteSequence prefix;
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    Map<String, ServiceDirectory.Endpoint> current = new LinkedHashMap<>();
    final Map<String, Held> held = new HashMap<>();
    final Deque<Long> recentRemovals = new ArrayDeque<>();
    Watch.Watcher watcher;
    long revision;
    int generation;
    int failures;
    volatile long staleSince;
    volatile boolean listed;
    volatile String lastError;
    long lastRefreshMillis;
    ScheduledFuture<?> lingerTask;
    ScheduledFuture<?> retryTask;
    ScheduledFuture<?> graceTask;
    final Counter updates;
    final Counter relists;
    final Counter decodeErrors;

    ServiceWatch(String service) {
      this.service = service;
      this.prefix = RegistryKeys.bytes(RegistryKeys.servicePrefix(service));
      Tags tags = Tags.of("service", service);
      Gauge.builder("webook.resolver.endpoints", this, w -> w.current.size())
          .tags(tags)
          .register(metrics);
      Gauge.builder("webook.resolver.protection.held", this, w -> w.held.size())
          .tags(tags)
          .description("endpoints kept by self-protection after etcd dropped them")
          .register(metrics);
      Gauge.builder(
              "webook.resolver.stale.seconds",
              this,
              w -> w.staleSince == 0 ? 0 : (System.currentTimeMillis() - w.staleSince) / 1000.0)
          .tags(tags)
          .register(metrics);
      updates = Counter.builder("webook.resolver.updates").tags(tags).register(metrics);
      relists = Counter.builder("webook.resolver.relists").tags(tags).register(metrics);
      decodeErrors = Counter.builder("webook.resolver.decode.errors").tags(tags).register(metrics);
    }

    void add(Subscriber s) {
      if (lingerTask != null) {
        lingerTask.cancel(false);
        lingerTask = null;
      }
      subscribers.add(s);
      if (listed) {
        s.deliver(snapshot());
      } else if (lastError != null) {
        s.deliver(new Snapshot(service, List.of(), staleSince, lastError));
      }
    }

    void remove(Subscriber s) {
      subscribers.remove(s);
      if (subscribers.isEmpty() && lingerTask == null) {
        lingerTask =
            loop.schedule(
                () -> {
                  if (subscribers.isEmpty()) {
                    closeWatcher();
                    cancel(retryTask);
                    cancel(graceTask);
                    watches.remove(service);
                    watchView.remove(service);
                    log.debug(
                        "stopped watching {} (no subscribers for {})", service, config.linger());
                  }
                },
                config.linger().toMillis(),
                TimeUnit.MILLISECONDS);
      }
    }

    void refreshIfDue() {
      long now = System.currentTimeMillis();
      if (now - lastRefreshMillis >= config.refreshMinInterval().toMillis()) {
        lastRefreshMillis = now;
        relist("refresh requested");
      } else if (listed) {
        publish();
      }
    }

    void relist(String reason) {
      int gen = ++generation;
      cancel(retryTask);
      relists.increment();
      log.debug("listing {} ({})", service, reason);
      etcd.client()
          .getKVClient()
          .get(prefix, GetOption.builder().isPrefix(true).build())
          .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenCompleteAsync((r, err) -> onList(gen, r, err), loop);
    }

    void onList(int gen, GetResponse r, Throwable err) {
      if (gen != generation || !watches.containsKey(service)) {
        return;
      }
      if (err != null) {
        etcd.failed();
        markStale();
        lastError = "etcd unreachable: " + rootMessage(err);
        if (!listed) {
          publishError();
        }
        scheduleRetry();
        return;
      }
      etcd.succeeded();
      failures = 0;
      lastError = null;
      revision = r.getHeader().getRevision();
      knownClusterId = r.getHeader().getClusterId();
      Map<String, ServiceDirectory.Endpoint> fresh = new LinkedHashMap<>();
      for (KeyValue kv : r.getKvs()) {
        ServiceDirectory.Endpoint e = decode(kv);
        if (e != null) {
          fresh.put(e.instanceId(), e);
        }
      }
      closeWatcher();
      openWatcher(revision + 1);
      if (staleSince != 0) {
        log.info("{}: etcd answers again; list refreshed ({} endpoints)", service, fresh.size());
      }
      staleSince = 0;
      listed = true;
      apply(fresh);
    }

    void openWatcher(long fromRevision) {
      int gen = generation;
      WatchOption option = WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
      watcher =
          etcd.client()
              .getWatchClient()
              .watch(
                  prefix,
                  option,
                  Watch.listener(
                      resp -> loop.execute(() -> onEvents(gen, resp)),
                      error -> loop.execute(() -> onWatchBroken(gen, error)),
                      () -> loop.execute(() -> onWatchBroken(gen, null))));
    }

    void closeWatcher() {
      if (watcher != null) {
        Watch.Watcher w = watcher;
        watcher = null;
        generation++; // callbacks of the old watcher are ignored from now on
        try {
          w.close();
        } catch (RuntimeException e) {
          log.debug("closing watcher of {}", service, e);
        }
      }
    }

    void onEvents(int gen, WatchResponse resp) {
      if (gen != generation) {
        return;
      }
      Map<String, ServiceDirectory.Endpoint> next = new LinkedHashMap<>(current);
      for (WatchEvent ev : resp.getEvents()) {
        KeyValue kv = ev.getKeyValue();
        revision = Math.max(revision, kv.getModRevision());
        String id = instanceId(kv.getKey());
        if (ev.getEventType() == WatchEvent.EventType.DELETE) {
          next.remove(id);
        } else if (ev.getEventType() == WatchEvent.EventType.PUT) {
          ServiceDirectory.Endpoint e = decode(kv);
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

    void onWatchBroken(int gen, Throwable error) {
      if (gen != generation) {
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

    void scheduleRetry() {
      failures++;
      long base = Math.min(MAX_BACKOFF_MS, 100L << Math.min(failures, 10));
      long delay =
          base / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(base / 2 + 1);
      cancel(retryTask);
      retryTask = loop.schedule(() -> relist("retry after failure"), delay, TimeUnit.MILLISECONDS);
    }

    void markStale() {
      if (staleSince == 0) {
        staleSince = System.currentTimeMillis();
      }
    }

    /** Applies a new view of etcd, with self-protection against bulk removals. */
    void apply(Map<String, ServiceDirectory.Endpoint> next) {
      long now = System.currentTimeMillis();
      List<String> removed = new ArrayList<>();
      for (String id : current.keySet()) {
        if (!next.containsKey(id)) {
          removed.add(id);
        }
      }
      next.keySet().forEach(held::remove); // came back
      if (!removed.isEmpty()) {
        long windowStart = now - config.protectionGrace().toMillis();
        while (!recentRemovals.isEmpty() && recentRemovals.peekFirst() < windowStart) {
          recentRemovals.pollFirst();
        }
        int baseline = current.size() + recentRemovals.size();
        boolean bulk =
            next.isEmpty()
                || recentRemovals.size() + removed.size() > config.maxRemovalShare() * baseline;
        if (bulk && !config.protectionGrace().isZero()) {
          long until = now + config.protectionGrace().toMillis();
          for (String id : removed) {
            held.put(id, new Held(current.get(id), until));
          }
          log.warn(
              "{}: etcd dropped {} of {} endpoints at once; holding them for {} (self-protection)",
              service,
              removed.size(),
              current.size(),
              config.protectionGrace());
          scheduleGraceEnd();
        }
        removed.forEach(id -> recentRemovals.addLast(now));
      }
      current = next;
      updates.increment();
      publish();
    }

    void scheduleGraceEnd() {
      cancel(graceTask);
      long next = held.values().stream().mapToLong(Held::untilMillis).min().orElse(0);
      if (next == 0) {
        return;
      }
      graceTask =
          loop.schedule(
              () -> {
                long now = System.currentTimeMillis();
                if (held.values().removeIf(h -> h.untilMillis() <= now)) {
                  log.info("{}: self-protection grace over; dropping held endpoints", service);
                  publish();
                }
                scheduleGraceEnd();
              },
              Math.max(0, next - System.currentTimeMillis()),
              TimeUnit.MILLISECONDS);
    }

    Snapshot snapshot() {
      List<ServiceDirectory.Endpoint> all = new ArrayList<>(current.values());
      for (Held h : held.values()) {
        ServiceDirectory.Endpoint e = h.endpoint();
        all.add(new ServiceDirectory.Endpoint(e.instanceId(), e.instance(), e.address(), true));
      }
      all.sort(Comparator.comparing(ServiceDirectory.Endpoint::instanceId));
      return new Snapshot(service, List.copyOf(all), staleSince, null);
    }

    void publish() {
      Snapshot s = snapshot();
      subscribers.forEach(sub -> sub.deliver(s));
    }

    void publishError() {
      Snapshot s = new Snapshot(service, List.of(), staleSince, lastError);
      subscribers.forEach(sub -> sub.deliver(s));
    }

    ServiceDirectory.Endpoint decode(KeyValue kv) {
      String id = instanceId(kv.getKey());
      try {
        ServiceInstance i = RegistryKeys.decode(kv.getValue());
        return new ServiceDirectory.Endpoint(
            id, i, new InetSocketAddress(i.host(), i.port()), false);
      } catch (IllegalArgumentException e) {
        decodeErrors.increment();
        log.warn("{}: ignoring unreadable registry entry {}: {}", service, id, e.getMessage());
        return null;
      }
    }

    String instanceId(ByteSequence key) {
      String k = key.toString(StandardCharsets.UTF_8);
      return k.substring(prefix.size());
    }
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
