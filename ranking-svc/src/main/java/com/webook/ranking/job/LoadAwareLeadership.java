package com.webook.ranking.job;

import com.webook.platform.logging.LogThrottle;
import com.webook.platform.redis.RedisLock;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load-aware leadership of the ranking job (SPEC §7.2): at most one instance holds the Redis lock
 * {@link LeadershipConfig#lockKey()}, and only the lowest-loaded live instances try to take it.
 *
 * <p>Every {@link LeadershipConfig#tickInterval()} the loop, on the {@code scheduler} it is given:
 *
 * <ol>
 *   <li>samples this process's load and publishes it with its liveness ({@link RedisLoadBoard}: two
 *       sorted sets, dead instances pruned), reading back everyone's;
 *   <li>as holder: renews the lock (compare-and-{@code PEXPIRE}); renewal refused → lost;
 *   <li>otherwise, when this instance is among the {@link LeadershipConfig#candidates()}
 *       lowest-loaded live instances ({@link InstanceLoads#isCandidate}), tries {@code SET NX}.
 * </ol>
 *
 * A holder keeps the lock while its load stays at or below {@link LeadershipConfig#handoverLoad()},
 * even when another instance becomes lower-loaded: moving the job costs a run's worth of
 * coordination and buys nothing while the holder copes. {@link #afterRun()} hands it over when the
 * load is above the threshold.
 *
 * <p>What "leader" means here: {@link #isLeader()} is true only until the moment the lock surely
 * still holds our token — the last successful acquire or renew plus the TTL, counted from when the
 * command was <em>sent</em>, so never later than Redis's own expiry. A holder that cannot reach
 * Redis, or whose loop is stalled, therefore stops calling itself leader before another can take
 * the lock. A holder paused as a whole (GC, SIGSTOP) may still act on a stale answer after it
 * wakes: results are published through {@link RedisLock.Lease#setIfHeld} (fencing), which writes
 * nothing unless the lock still holds this lease's token.
 *
 * <p>A freshly started instance competes only after it has published for one live window (three
 * load intervals): by then every live instance has published at least once, so a process that
 * starts first does not take the lock just because it has not heard of the lower-loaded ones yet.
 *
 * <p>Redis failures: a failed step is logged (throttled), counted in {@code
 * ranking.leadership.failures{step}} and retried at the next tick; the holder stays holder until
 * the validity above runs out. Metrics: {@code ranking.leadership.leader} (0/1), {@code
 * ranking.leadership.load}, {@code ranking.leadership.changes{event=acquired|lost|handover}}.
 *
 * <p>Threads: the loop runs on {@code scheduler} (owned by the composition root; one thread is
 * enough, and it must not be the thread that runs the ranking job, or renewals would wait for the
 * run). {@link #afterRun()} and {@link #close()} may be called from any thread; state changes are
 * serialized by one lock, {@link #isLeader()} and {@link #lease()} only read a volatile field.
 */
public final class LoadAwareLeadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadAwareLeadership.class);

  private final LeadershipConfig config;
  private final String instanceId;
  private final IntSupplier load;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final RedisLock lock;
  private final RedisLoadBoard board;
  private final long ttlMillis;
  private final long liveWindowMillis;

  private final MeterRegistry metrics;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter acquired;
  private final Counter lost;
  private final Counter handedOver;
  private final Map<Step, Counter> failures = new EnumMap<>(Step.class);
  private final LogThrottle redisWarnings = new LogThrottle(Duration.ofSeconds(30));

  /** Serializes the loop, {@link #afterRun()} and {@link #close()}. */
  private final ReentrantLock guard = new ReentrantLock();

  /** The lease and until when it surely holds; null when not holder. Written under guard. */
  private volatile Held held;

  private volatile int lastLoad;
  // Under guard:
  private ScheduledFuture<?> loop;
  private boolean closed;
  private long firstPublishedMillis = -1;

  private record Held(RedisLock.Lease lease, long validUntilMillis) {}

  /**
   * The Redis steps whose failures are counted, a closed set so the meters exist from the start.
   */
  private enum Step {
    PUBLISH,
    RENEW,
    ACQUIRE,
    RELEASE,
    REMOVE;

    String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public LoadAwareLeadership(
      StatefulRedisConnection<String, String> redis,
      LeadershipConfig config,
      String instanceId,
      IntSupplier load,
      Clock clock,
      MeterRegistry metrics,
      ScheduledExecutorService scheduler) {
    if (instanceId == null || instanceId.isBlank()) {
      throw new IllegalArgumentException("instanceId must not be empty");
    }
    this.config = config;
    this.instanceId = instanceId;
    this.load = load;
    this.clock = clock;
    this.scheduler = scheduler;
    // The token names its holder, so `redis-cli GET <lockKey>` tells operators (and tests) who
    // leads; the random part alone is the proof.
    Supplier<String> random = RedisLock.secureRandomTokens();
    this.lock =
        new RedisLock(
            redis, config.lockKey(), config.lockTtl(), () -> instanceId + "/" + random.get());
    this.board = new RedisLoadBoard(redis, config.loadKey(), config.seenKey(), config.liveWindow());
    this.ttlMillis = config.lockTtl().toMillis();
    this.liveWindowMillis = config.liveWindow().toMillis();
    this.metrics = metrics;
    meters.add(
        Gauge.builder("ranking.leadership.leader", this, l -> l.isLeader() ? 1 : 0)
            .description("1 while this instance holds the ranking lock")
            .register(metrics));
    meters.add(
        Gauge.builder("ranking.leadership.load", this, l -> l.lastLoad)
            .description("the load (0-100) this instance last published")
            .register(metrics));
    acquired = changes("acquired");
    lost = changes("lost");
    handedOver = changes("handover");
    for (Step step : Step.values()) {
      Counter counter =
          Counter.builder("ranking.leadership.failures")
              .tag("step", step.tag())
              .description("Redis commands of the leadership loop that failed")
              .register(metrics);
      failures.put(step, counter);
      meters.add(counter);
    }
  }

  /** Starts the loop; its first tick runs at once. */
  public void start() {
    guard.lock();
    try {
      if (closed || loop != null) {
        throw new IllegalStateException(closed ? "closed" : "already started");
      }
      long period = config.tickInterval().toMillis();
      loop = scheduler.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    } finally {
      guard.unlock();
    }
  }

  /** The lease while this instance is leader (see the class comment for how long that is). */
  public Optional<RedisLock.Lease> lease() {
    Held h = held;
    return h != null && clock.millis() < h.validUntilMillis
        ? Optional.of(h.lease())
        : Optional.empty();
  }

  public boolean isLeader() {
    return lease().isPresent();
  }

  /**
   * Called by the ranking job after each run: when this instance holds the lock and its load is
   * above {@link LeadershipConfig#handoverLoad()}, publishes that load (so the others rank it by
   * the new value at once) and releases the lock. The lowest-loaded live instance — possibly this
   * one again, when every instance is loaded — takes it at its next tick.
   */
  public void afterRun() {
    guard.lock();
    try {
      Held h = held;
      if (closed || h == null || !isLeader()) {
        return; // not holder (an expired holder is recorded as lost by the loop)
      }
      int current = sampleLoad();
      if (current <= config.handoverLoad()) {
        return;
      }
      publish(current);
      held = null;
      handedOver.increment();
      log.info(
          "ranking leadership: {} hands over the lock (load {} > {})",
          instanceId,
          current,
          config.handoverLoad());
      try {
        h.lease().release();
      } catch (RuntimeException e) {
        // Not released: the lock expires after its TTL, and the next holder takes it then.
        failure(Step.RELEASE, e);
      }
    } finally {
      guard.unlock();
    }
  }

  /**
   * Stops the loop, releases the lock if held and removes this instance's load entries, so the
   * others take over at their next tick instead of after the TTL. Does not shut the scheduler down
   * (the composition root owns it). Idempotent; Redis errors are logged, not thrown.
   */
  @Override
  public void close() {
    guard.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (loop != null) {
        loop.cancel(false);
      }
      Held h = held;
      held = null;
      if (h != null) {
        try {
          h.lease().release();
          log.info("ranking leadership: {} released the lock on close", instanceId);
        } catch (RuntimeException e) {
          failure(Step.RELEASE, e);
        }
      }
      try {
        board.remove(instanceId);
      } catch (RuntimeException e) {
        failure(Step.REMOVE, e);
      }
    } finally {
      guard.unlock();
    }
    meters.forEach(metrics::remove);
  }

  private void tick() {
    guard.lock();
    try {
      if (closed) {
        return;
      }
      InstanceLoads loads = publish(sampleLoad());
      if (held != null) {
        keepOrLose();
      }
      if (held == null && loads != null && warmedUp() && isCandidate(loads)) {
        tryAcquire();
      }
    } catch (RuntimeException e) {
      // Never let an exception end the periodic task: the next tick retries.
      log.error("ranking leadership: unexpected failure in the loop of {}", instanceId, e);
    } finally {
      guard.unlock();
    }
  }

  private boolean isCandidate(InstanceLoads loads) {
    return loads.isCandidate(instanceId, config.candidates(), liveWindowMillis);
  }

  private boolean warmedUp() {
    return firstPublishedMillis >= 0 && clock.millis() - firstPublishedMillis >= liveWindowMillis;
  }

  private int sampleLoad() {
    int value = Math.max(0, Math.min(100, load.getAsInt()));
    lastLoad = value;
    return value;
  }

  /** Publishes {@code current}; everyone's loads, or null when Redis failed. */
  private InstanceLoads publish(int current) {
    try {
      InstanceLoads loads = board.publish(instanceId, current);
      if (firstPublishedMillis < 0) {
        firstPublishedMillis = clock.millis();
      }
      return loads;
    } catch (RuntimeException e) {
      failure(Step.PUBLISH, e);
      return null;
    }
  }

  private void keepOrLose() {
    Held h = held;
    long now = clock.millis();
    if (now >= h.validUntilMillis()) {
      // Not renewed within the TTL (Redis unreachable, or this loop stalled): another instance
      // may hold the lock by now, and this one cannot know.
      lose(h, "not renewed within the TTL");
      try {
        h.lease().release(); // compare-and-delete: deletes only if still ours, so always safe
      } catch (RuntimeException e) {
        failure(Step.RELEASE, e);
      }
      return;
    }
    try {
      if (h.lease().renew()) {
        held = new Held(h.lease(), now + ttlMillis);
      } else {
        lose(h, "the lock expired or another instance holds it");
      }
    } catch (RuntimeException e) {
      // Unknown outcome: keep the old validity, which ends before Redis could expire the lock.
      failure(Step.RENEW, e);
    }
  }

  private void tryAcquire() {
    long sentAt = clock.millis();
    try {
      Optional<RedisLock.Lease> lease = lock.tryAcquire();
      if (lease.isPresent()) {
        held = new Held(lease.get(), sentAt + ttlMillis);
        acquired.increment();
        log.info("ranking leadership: {} acquired {} (load {})", instanceId, lease.get(), lastLoad);
      }
    } catch (RuntimeException e) {
      // A timed-out SET NX may have taken the lock under a token we never saw: it then expires
      // after its TTL and the job skips at most that long.
      failure(Step.ACQUIRE, e);
    }
  }

  private void lose(Held h, String why) {
    held = null;
    lost.increment();
    log.warn("ranking leadership: {} lost {}: {}", instanceId, h.lease(), why);
  }

  private void failure(Step step, RuntimeException e) {
    failures.get(step).increment();
    if (redisWarnings.allow()) {
      log.warn(
          "ranking leadership: {} failed for {} ({}); retrying at the next tick",
          step.tag(),
          instanceId,
          e.toString());
    }
  }

  private Counter changes(String event) {
    Counter counter =
        Counter.builder("ranking.leadership.changes")
            .tag("event", event)
            .description("leadership changes of this instance")
            .register(metrics);
    meters.add(counter);
    return counter;
  }
}
