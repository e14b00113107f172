package com.webook.platform.discovery;

import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.retry.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The etcd-backed {@link ServiceDirectory}: a reference-counted registry of {@link ServiceWatch}es,
 * one per service and process (SPEC §8.2), kept outside any resolver so that a channel going idle
 * and waking up (it shuts its resolver down and builds a new one) gets the cached list at once and
 * never leaks a watch. A watch nobody subscribes to any more lingers for {@link
 * DiscoveryConfig#linger()} and is then dropped, its gauges with it.
 *
 * <p>The parts: {@link ServiceWatch} lists, watches, retries and publishes one service; {@link
 * SelfProtection} decides what bulk removals to hold; {@link ResolverMetrics} measures; {@link
 * EtcdProbe} notices outages, wipes and restores that a watch alone may miss.
 *
 * <p>Threading: all state is confined to {@code loop}, which must run one task at a time (see
 * {@link #newLoop()}); etcd I/O is asynchronous and its callbacks hop back to the loop. Listeners
 * are called on the loop and must hand off quickly (the resolver posts to its synchronization
 * context). The loop and the clock come from the composition root, which owns the loop: close this
 * directory first, then shut the loop down.
 */
public final class EtcdServiceDirectory implements ServiceDirectory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdServiceDirectory.class);

  /** Re-list after a failure: 200 ms, doubling up to 5 s, jittered — an outage costs no CPU. */
  private static final Backoff RETRY = Backoff.DEPENDENCY_RETRY;

  private final DiscoveryConfig config;
  private final ScheduledExecutorService loop;
  private final ServiceWatch.Shared shared;
  private final EtcdProbe probe;
  private final ScheduledFuture<?> probeTask;
  // Loop thread only.
  private final Map<String, ServiceWatch> watches = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> lingering = new HashMap<>();
  // For readiness and tests, read from other threads.
  private final Map<String, ServiceWatch> watchView = new ConcurrentHashMap<>();

  /**
   * @param etcd the process's etcd connection
   * @param config linger, probe, self-protection and refresh settings
   * @param requestTimeout timeout of one etcd request
   * @param metrics where the {@code webook.resolver.*} meters go (one directory per registry)
   * @param clock the time source of staleness, refresh rate limit and self-protection
   * @param loop a single-threaded scheduled executor the caller owns and shuts down after {@link
   *     #close()} (e.g. {@link #newLoop()})
   */
  public EtcdServiceDirectory(
      EtcdConnection etcd,
      DiscoveryConfig config,
      Duration requestTimeout,
      MeterRegistry metrics,
      Clock clock,
      ScheduledExecutorService loop) {
    this.config = config;
    this.loop = loop;
    this.probe = new EtcdProbe(etcd, requestTimeout, loop, watches::values);
    this.shared =
        new ServiceWatch.Shared(
            etcd,
            requestTimeout,
            config.refreshMinInterval(),
            new SelfProtection(config.maxRemovalShare(), config.protectionGrace()),
            RETRY,
            clock,
            loop,
            Objects.requireNonNull(metrics, "metrics"),
            probe::clusterSeen);
    this.probeTask =
        loop.scheduleWithFixedDelay(
            probe::run,
            config.probeInterval().toMillis(),
            config.probeInterval().toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /**
   * A loop for one directory: one daemon thread {@code etcd-directory}; delayed tasks (linger,
   * retries, grace ends) are dropped on shutdown instead of being waited for, so {@code close()} on
   * it returns at once. The caller owns it.
   */
  public static ScheduledExecutorService newLoop() {
    return singleThreadLoop("etcd-directory");
  }

  static ScheduledExecutorService singleThreadLoop(String threadName) {
    ScheduledThreadPoolExecutor loop =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    loop.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    loop.setRemoveOnCancelPolicy(true);
    return loop;
  }

  @Override
  public Subscription subscribe(String service, Consumer<Snapshot> listener) {
    // A fresh lambda per subscription: its identity is the subscription's.
    Consumer<Snapshot> subscriber = listener::accept;
    loop.execute(() -> acquire(service).add(subscriber));
    return () -> loop.execute(() -> release(service, subscriber));
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
    return w == null ? Duration.ZERO : w.staleness();
  }

  /**
   * Readiness of discovery: not ready while a watched service has never been listed (nothing to
   * route to); a stale list is still ready — serving from it is the point — and its age is shown.
   */
  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "discovery",
        () -> {
          StringBuilder detail = new StringBuilder();
          boolean ready = true;
          for (ServiceWatch w : watchView.values()) {
            if (!w.isListed()) {
              ready = false;
              detail.append(w.service()).append(": never listed");
              String error = w.lastError();
              if (error != null) {
                detail.append(" (").append(error).append(')');
              }
              detail.append("; ");
            } else if (!w.staleness().isZero()) {
              detail
                  .append(w.service())
                  .append(": stale for ")
                  .append(w.staleness().toSeconds())
                  .append(" s; ");
            }
          }
          String text = detail.isEmpty() ? "fresh " + watchView.keySet() : detail.toString().trim();
          return ready ? ReadinessCheck.Result.ok(text) : ReadinessCheck.Result.down(text);
        });
  }

  /** The services this directory holds a watch for, lingering ones included. */
  public Set<String> watchedServices() {
    return Set.copyOf(watchView.keySet());
  }

  /** Number of live etcd watches (for tests and the admin page). */
  public int activeWatches() {
    return (int) watchView.values().stream().filter(ServiceWatch::isWatching).count();
  }

  /** Stops every watch and the probe. Does not shut the loop down: its owner does, afterwards. */
  @Override
  public void close() {
    probeTask.cancel(false);
    try {
      loop.submit(this::closeAll).get(5, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      log.warn("directory loop was shut down before the directory; closing from here");
      closeAll();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("closing the directory", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeAll() {
    lingering.values().forEach(f -> f.cancel(false));
    lingering.clear();
    watches.values().forEach(ServiceWatch::close);
    watches.clear();
    watchView.clear();
  }

  // ---------------------------------------------------------------- loop thread

  private ServiceWatch acquire(String service) {
    ScheduledFuture<?> pendingDrop = lingering.remove(service);
    if (pendingDrop != null) {
      pendingDrop.cancel(false);
    }
    ServiceWatch w = watches.get(service);
    if (w == null) {
      w = new ServiceWatch(service, shared);
      watches.put(service, w);
      watchView.put(service, w);
      w.start();
    }
    return w;
  }

  private void release(String service, Consumer<Snapshot> subscriber) {
    ServiceWatch w = watches.get(service);
    if (w == null || w.remove(subscriber) > 0 || lingering.containsKey(service)) {
      return;
    }
    lingering.put(
        service,
        loop.schedule(() -> drop(service), config.linger().toMillis(), TimeUnit.MILLISECONDS));
  }

  private void drop(String service) {
    lingering.remove(service);
    ServiceWatch w = watches.get(service);
    if (w == null || w.subscriberCount() > 0) {
      return;
    }
    w.close();
    watches.remove(service);
    watchView.remove(service);
    log.debug("stopped watching {} (no subscribers for {})", service, config.linger());
  }
}
