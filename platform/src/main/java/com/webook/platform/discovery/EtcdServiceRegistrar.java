package com.webook.platform.discovery;

import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.retry.Backoff;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.lease.NoSuchLeaseException;
import io.etcd.jetcd.options.PutOption;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process registered in etcd (SPEC §8.1) for as long as it runs, whatever etcd does.
 *
 * <p>{@link #register()} grants a lease and puts {@code /webook/services/<service>/<instanceId>}
 * with it. A new instance whose etcd is slow or not up yet (a cold machine starting everything at
 * once) waits for it: attempts follow the shared {@link Backoff} within the start budget, the wait
 * is logged once, and only a spent budget fails the start, with one message naming etcd and its
 * endpoints (a new instance nobody can find must not start quietly).
 *
 * <p>From then on the loop keeps the lease alive every TTL/3 with single keep-alive requests — no
 * long-lived keep-alive stream that could die silently — and after each one checks that the key is
 * still there with our value and lease, putting it back if someone deleted it. The lease counts as
 * lost when etcd says so (revoked, expired, unknown after a wipe) or when no keep-alive succeeded
 * for a whole TTL (partition, outage); then the loop grants a <b>new</b> lease and puts the key
 * again, retrying with the same backoff and no limit while the server keeps serving. Once the key
 * is on the new lease the old one is revoked, best effort and asynchronously: after an etcd restart
 * with its data, the old lease would otherwise live on for a TTL. Between attempts the loop sleeps,
 * so an etcd outage costs no CPU.
 *
 * <p>All state lives on the loop thread; public methods hand work to it. Thread-safe. The loop and
 * the clock come from the composition root, which owns the loop and shuts it down after {@link
 * #deregister()}.
 */
public final class EtcdServiceRegistrar implements ServiceRegistration {
  /** The start budget when none is configured (issue 7, A.1). */
  public static final Duration DEFAULT_START_BUDGET = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(EtcdServiceRegistrar.class);

  /** Retries at start and after a lost lease: 200 ms, doubling up to 5 s, jittered. */
  private static final Backoff RETRY = Backoff.DEPENDENCY_RETRY;

  private final EtcdConnection etcd;
  private final String key;
  private final ByteSequence keyBytes;
  private final Duration ttl;
  private final Duration requestTimeout;
  private final Duration startBudget;
  private final Clock clock;
  private final ScheduledExecutorService loop;
  private final Counter leaseLost;
  private final Counter registrations;
  private final Counter keepAliveFailures;
  private final Counter keyRestored;
  private final Counter oldLeasesRevoked;

  // Loop-thread state.
  private long leaseId;
  private long lostLeaseId; // the lease given up, revoked once the key is on a new one
  private long lastKeepAliveMillis;
  private int failedAttempts;
  private ScheduledFuture<?> nextTick;

  private volatile ServiceInstance instance;
  private volatile boolean registered;
  private volatile boolean everRegistered;
  private volatile String waitingFor; // why the first registration has not happened yet
  private volatile boolean stopped;

  /**
   * @param etcd the process's etcd connection
   * @param service the service name
   * @param instanceId the key's last segment
   * @param instance the value to publish
   * @param ttl the lease TTL; kept alive every TTL/3
   * @param requestTimeout timeout of one etcd request
   * @param startBudget how long {@link #register()} waits for etcd before failing the start
   * @param metrics where the {@code webook.registry.*} meters go
   * @param clock the time source of the start budget and of lease-loss detection
   * @param loop a single-threaded scheduled executor the caller owns and shuts down after {@link
   *     #deregister()} (e.g. {@link #newLoop(String)})
   */
  public EtcdServiceRegistrar(
      EtcdConnection etcd,
      String service,
      String instanceId,
      ServiceInstance instance,
      Duration ttl,
      Duration requestTimeout,
      Duration startBudget,
      MeterRegistry metrics,
      Clock clock,
      ScheduledExecutorService loop) {
    this.etcd = etcd;
    this.key = RegistryKeys.instanceKey(service, instanceId);
    this.keyBytes = RegistryKeys.bytes(key);
    this.instance = instance;
    this.ttl = ttl;
    this.requestTimeout = requestTimeout;
    this.startBudget = startBudget;
    this.clock = clock;
    this.loop = loop;
    this.waitingFor = "not registered yet";
    MeterRegistry m = Objects.requireNonNull(metrics, "metrics");
    Tags tags = Tags.of("service", service);
    Gauge.builder("webook.registry.registered", this, r -> r.registered ? 1 : 0)
        .tags(tags)
        .description("1 while this instance's key is in etcd")
        .register(m);
    this.leaseLost = Counter.builder("webook.registry.lease.lost").tags(tags).register(m);
    this.registrations =
        Counter.builder("webook.registry.registrations")
            .tags(tags)
            .description("puts with a new lease (first registration and every re-registration)")
            .register(m);
    this.keepAliveFailures =
        Counter.builder("webook.registry.keepalive.failures").tags(tags).register(m);
    this.keyRestored =
        Counter.builder("webook.registry.key.restored")
            .tags(tags)
            .description("key found deleted or changed from outside and put back")
            .register(m);
    this.oldLeasesRevoked =
        Counter.builder("webook.registry.old.leases.revoked")
            .tags(tags)
            .description("leases given up and revoked once the key was on a new one")
            .register(m);
  }

  /** Builds the registrar for this process from its registry and server config. */
  public static EtcdServiceRegistrar fromConfig(
      EtcdConnection etcd,
      RegistryConfig registry,
      GrpcServerConfig grpc,
      Duration requestTimeout,
      Duration startBudget,
      MeterRegistry metrics,
      Clock clock,
      ScheduledExecutorService loop) {
    String addr = grpc.advertiseHost() + ":" + grpc.port();
    String instanceId = registry.instanceId().isEmpty() ? addr : registry.instanceId();
    ServiceInstance instance =
        new ServiceInstance(
            addr,
            registry.weight(),
            registry.group(),
            registry.version(),
            clock.millis(),
            registry.metadata());
    return new EtcdServiceRegistrar(
        etcd,
        registry.service(),
        instanceId,
        instance,
        registry.leaseTtl(),
        requestTimeout,
        startBudget,
        metrics,
        clock,
        loop);
  }

  /**
   * A loop for one registrar: one daemon thread {@code etcd-registrar-<service>}; pending ticks are
   * dropped on shutdown, so {@code close()} on it returns at once. The caller owns it.
   */
  public static ScheduledExecutorService newLoop(String service) {
    return EtcdServiceDirectory.singleThreadLoop("etcd-registrar-" + service);
  }

  public String key() {
    return key;
  }

  public boolean isRegistered() {
    return registered;
  }

  public ServiceInstance instance() {
    return instance;
  }

  /**
   * Readiness of the registration: down until the first registration succeeded (so a process
   * waiting for etcd at start is not ready); afterwards up, also while a lost lease is being
   * replaced — an instance that already served keeps serving through an etcd outage.
   */
  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "registry",
        () -> {
          if (!everRegistered) {
            return ReadinessCheck.Result.down(waitingFor);
          }
          return ReadinessCheck.Result.ok(
              registered ? "registered " + key : "re-registering " + key + " (lease lost)");
        });
  }

  /**
   * Registers, waiting for etcd up to the start budget. Throws {@link IllegalStateException} naming
   * etcd's endpoints when the budget is spent.
   */
  @Override
  public void register() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Instant started = clock.instant();
    loop.execute(() -> attemptFirstRegistration(done, started, 1));
    try {
      // The loop enforces the budget; this timeout only guards against a loop that stopped.
      done.get(
          startBudget.plus(requestTimeout.multipliedBy(3)).plusSeconds(5).toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IllegalStateException ise
          ? ise
          : new IllegalStateException("cannot register " + key, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot register " + key + " in etcd at " + etcd.endpoints() + ": the loop stopped", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + key, e);
    }
  }

  /** Changes the published weight at runtime (same lease; clients update without reconnecting). */
  public CompletableFuture<Void> updateWeight(int weight) {
    instance = instance.withWeight(weight);
    return republish();
  }

  /** Changes the published metadata at runtime. */
  public CompletableFuture<Void> updateMetadata(Map<String, String> metadata) {
    instance = instance.withMetadata(metadata);
    return republish();
  }

  private CompletableFuture<Void> republish() {
    return CompletableFuture.runAsync(
        () -> {
          if (!stopped && leaseId != 0) {
            put(leaseId);
          }
        },
        loop);
  }

  /**
   * Revokes the lease (the key disappears at once) and stops keeping it alive. Does not shut the
   * loop down: its owner does, afterwards.
   */
  @Override
  public void deregister() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      loop.submit(
              () -> {
                if (nextTick != null) {
                  nextTick.cancel(false);
                }
                registered = false;
                if (lostLeaseId != 0) {
                  // After an etcd restart with its data the key may still hang on the lost lease.
                  revokeQuietly(lostLeaseId).get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
                if (leaseId != 0) {
                  try {
                    // Revoking deletes the key at once, unlike letting the lease expire.
                    etcd.client()
                        .getLeaseClient()
                        .revoke(leaseId)
                        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (ExecutionException | TimeoutException e) {
                    log.warn(
                        "revoking lease of {} failed ({}); deleting the key", key, describe(e));
                    etcd.client()
                        .getKVClient()
                        .delete(keyBytes)
                        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                  }
                }
                return null;
              })
          .get(requestTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
      log.info("deregistered {}", key);
    } catch (Exception e) {
      log.warn(
          "deregistering {} failed ({}); the lease will expire within {}s",
          key,
          describe(e),
          ttl.toSeconds());
    }
  }

  // ---------------------------------------------------------------- loop thread

  /** One attempt of the first registration; schedules the next one within the start budget. */
  private void attemptFirstRegistration(
      CompletableFuture<Void> done, Instant started, int attempt) {
    if (stopped) {
      done.completeExceptionally(
          new IllegalStateException("stopped before " + key + " was registered"));
      return;
    }
    try {
      grantAndPut();
      etcd.succeeded();
      everRegistered = true;
      Duration waited = Duration.between(started, clock.instant());
      log.info(
          "registered {} = {} (lease {}, ttl {}s){}",
          key,
          instance.addr(),
          Long.toHexString(leaseId),
          ttl.toSeconds(),
          attempt > 1 ? " after waiting " + waited.toMillis() + " ms for etcd" : "");
      scheduleTick(keepAliveInterval());
      done.complete(null);
    } catch (Exception e) {
      etcd.failed();
      Instant deadline = started.plus(startBudget);
      Instant now = clock.instant();
      waitingFor =
          "waiting for etcd at %s (start budget %s)"
              .formatted(etcd.endpoints(), seconds(startBudget));
      if (attempt == 1) {
        log.warn("{}: {}", waitingFor, describe(e)); // once: the next attempts are debug
      } else {
        log.debug("etcd registration attempt {} failed: {}", attempt, describe(e));
      }
      if (!now.isBefore(deadline)) {
        String why =
            "cannot register %s in etcd at %s: no answer within the start budget of %s"
                    .formatted(key, etcd.endpoints(), seconds(startBudget))
                + " (%d attempts; last: %s)".formatted(attempt, describe(e));
        done.completeExceptionally(new IllegalStateException(why, e));
        return;
      }
      long wait =
          Math.min(RETRY.delay(attempt).toMillis(), Duration.between(now, deadline).toMillis());
      loop.schedule(
          () -> attemptFirstRegistration(done, started, attempt + 1), wait, TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    if (stopped) {
      return;
    }
    try {
      if (leaseId == 0) {
        grantAndPut();
        log.info("re-registered {} with new lease {}", key, Long.toHexString(leaseId));
      } else {
        keepAlive();
      }
      failedAttempts = 0;
      etcd.succeeded();
      scheduleTick(keepAliveInterval());
    } catch (Exception e) {
      etcd.failed();
      keepAliveFailures.increment();
      failedAttempts++;
      if (leaseId != 0 && clock.millis() - lastKeepAliveMillis >= ttl.toMillis()) {
        loseLease("no keep-alive succeeded for " + ttl.toSeconds() + "s (" + describe(e) + ")");
      }
      if (failedAttempts == 1 || failedAttempts % 20 == 0) {
        log.warn(
            "etcd registration of {}: attempt {} failed: {}", key, failedAttempts, describe(e));
      }
      scheduleTick(RETRY.delay(failedAttempts));
    }
  }

  private void keepAlive() throws Exception {
    LeaseKeepAliveResponse r;
    try {
      r =
          etcd.client()
              .getLeaseClient()
              .keepAliveOnce(leaseId)
              .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (isLeaseGone(e.getCause())) {
        loseLease("lease not found in etcd (revoked or expired)");
        grantAndPut();
        log.info("re-registered {} with new lease {}", key, Long.toHexString(leaseId));
        return;
      }
      throw e;
    }
    if (r.getTTL() <= 0) {
      loseLease("lease expired");
      grantAndPut();
      log.info("re-registered {} with new lease {}", key, Long.toHexString(leaseId));
      return;
    }
    lastKeepAliveMillis = clock.millis();
    verifyKey();
  }

  /** Puts the key back if it was deleted or overwritten from outside while our lease lives. */
  private void verifyKey() throws Exception {
    List<KeyValue> kvs =
        etcd.client()
            .getKVClient()
            .get(keyBytes)
            .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .getKvs();
    ByteSequence expected = RegistryKeys.encode(instance);
    if (kvs.isEmpty()
        || kvs.get(0).getLease() != leaseId
        || !kvs.get(0).getValue().equals(expected)) {
      log.warn(
          "{} was {} from outside; putting it back", key, kvs.isEmpty() ? "deleted" : "changed");
      keyRestored.increment();
      put(leaseId);
    }
    registered = true;
  }

  /**
   * Grants a new lease and puts the key with it; then revokes the lease given up before, if any. A
   * lease whose put failed is revoked at once: it holds no key, and left alone it would live a TTL.
   */
  private void grantAndPut() throws Exception {
    long newLease =
        etcd.client()
            .getLeaseClient()
            .grant(ttl.toSeconds())
            .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .getID();
    try {
      put(newLease);
    } catch (RuntimeException e) {
      revokeQuietly(newLease);
      throw e;
    }
    leaseId = newLease;
    lastKeepAliveMillis = clock.millis();
    registered = true;
    registrations.increment();
    if (lostLeaseId != 0 && lostLeaseId != newLease) {
      long old = lostLeaseId;
      revokeQuietly(old)
          .thenAccept(
              revoked -> {
                if (revoked) {
                  oldLeasesRevoked.increment();
                  log.info("revoked the old lease {} of {}", Long.toHexString(old), key);
                }
              });
    }
    lostLeaseId = 0;
  }

  /**
   * Revokes {@code lease} without waiting (off the critical path); completes with whether etcd
   * revoked it. Failure is fine: the lease holds no key and expires within its TTL.
   */
  private CompletableFuture<Boolean> revokeQuietly(long lease) {
    return etcd.client()
        .getLeaseClient()
        .revoke(lease)
        .orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (r, err) -> {
              if (err != null) {
                log.debug(
                    "lease {} of {} not revoked ({}); it expires on its own",
                    Long.toHexString(lease),
                    key,
                    describe(err));
              }
              return err == null;
            });
  }

  private void put(long lease) {
    try {
      etcd.client()
          .getKVClient()
          .put(
              keyBytes,
              RegistryKeys.encode(instance),
              PutOption.builder().withLeaseId(lease).build())
          .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("put " + key + " failed: " + describe(e), e);
    }
  }

  private void loseLease(String reason) {
    log.warn(
        "lease {} of {} lost: {}; registering again with a new lease",
        Long.toHexString(leaseId),
        key,
        reason);
    leaseLost.increment();
    lostLeaseId = leaseId; // revoked once the key is on the new one
    leaseId = 0; // never reuse it: it may have expired
    registered = false;
  }

  private void scheduleTick(Duration delay) {
    if (!stopped) {
      nextTick = loop.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private Duration keepAliveInterval() {
    return ttl.dividedBy(3);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static boolean isLeaseGone(Throwable t) {
    if (t instanceof NoSuchLeaseException) {
      return true;
    }
    if (t instanceof EtcdException e && e.getErrorCode() == ErrorCode.NOT_FOUND) {
      return true;
    }
    return t != null && t.getMessage() != null && t.getMessage().contains("lease not found");
  }

  private static String describe(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
  }
}
