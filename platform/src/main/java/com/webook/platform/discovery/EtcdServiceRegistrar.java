package com.webook.platform.discovery;

import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.RegistryConfig;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process registered in etcd (SPEC §8.1) for as long as it runs, whatever etcd does.
 *
 * <p>{@link #register()} grants a lease, puts {@code /webook/services/<service>/<instanceId>} with
 * it and fails fast when etcd cannot be reached (a new instance nobody can find must not start
 * quietly). From then on one loop thread keeps the lease alive every TTL/3 with single keep-alive
 * requests — no long-lived keep-alive stream that could die silently — and after each one checks
 * that the key is still there with our value and lease, putting it back if someone deleted it. The
 * lease counts as lost when etcd says so (revoked, expired, unknown after a wipe) or when no
 * keep-alive succeeded for a whole TTL (partition, outage); then the loop grants a <b>new</b> lease
 * and puts the key again, retrying with capped exponential backoff and jitter and no limit while
 * the server keeps serving. Between attempts the loop sleeps, so an etcd outage costs no CPU.
 *
 * <p>All state lives on the loop thread; public methods hand work to it. Thread-safe.
 */
public final class EtcdServiceRegistrar implements ServiceRegistration {
  private static final Logger log = LoggerFactory.getLogger(EtcdServiceRegistrar.class);
  private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final EtcdConnection etcd;
  private final String service;
  private final String key;
  private final ByteSequence keyBytes;
  private final Duration ttl;
  private final Duration requestTimeout;
  private final ScheduledExecutorService loop;
  private final Counter leaseLost;
  private final Counter registrations;
  private final Counter keepAliveFailures;
  private final Counter keyRestored;

  // Loop-thread state.
  private volatile ServiceInstance instance;
  private long leaseId;
  private long lastKeepAliveNanos;
  private int failedAttempts;
  private volatile boolean registered;
  private volatile boolean stopped;

  public EtcdServiceRegistrar(
      EtcdConnection etcd,
      String service,
      String instanceId,
      ServiceInstance instance,
      Duration ttl,
      Duration requestTimeout,
      MeterRegistry metrics) {
    this.etcd = etcd;
    this.service = service;
    this.key = RegistryKeys.instanceKey(service, instanceId);
    this.keyBytes = RegistryKeys.bytes(key);
    this.instance = instance;
    this.ttl = ttl;
    this.requestTimeout = requestTimeout;
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "etcd-registrar-" + service);
              t.setDaemon(true);
              return t;
            });
    MeterRegistry m = metrics != null ? metrics : new SimpleMeterRegistry();
    List<io.micrometer.core.instrument.Tag> tags =
        List.of(io.micrometer.core.instrument.Tag.of("service", service));
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
  }

  /** Builds the registrar for this process from its registry and server config. */
  public static EtcdServiceRegistrar fromConfig(
      EtcdConnection etcd,
      RegistryConfig registry,
      GrpcServerConfig grpc,
      Duration requestTimeout,
      MeterRegistry metrics) {
    String addr = grpc.advertiseHost() + ":" + grpc.port();
    String instanceId = registry.instanceId().isEmpty() ? addr : registry.instanceId();
    ServiceInstance instance =
        new ServiceInstance(
            addr,
            registry.weight(),
            registry.group(),
            registry.version(),
            System.currentTimeMillis(),
            registry.metadata());
    return new EtcdServiceRegistrar(
        etcd,
        registry.service(),
        instanceId,
        instance,
        registry.leaseTtl(),
        requestTimeout,
        metrics);
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

  @Override
  public void register() {
    try {
      loop.submit(
              () -> {
                grantAndPut();
                return null;
              })
          .get(requestTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      loop.shutdownNow();
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          "cannot register " + key + " in etcd: " + describe(cause), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering " + key, e);
    }
    log.info(
        "registered {} = {} (lease {}, ttl {}s)",
        key,
        instance.addr(),
        Long.toHexString(leaseId),
        ttl.toSeconds());
    scheduleTick(keepAliveInterval());
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

  @Override
  public void deregister() {
    if (stopped) {
      return;
    }
    stopped = true;
    try {
      loop.submit(
              () -> {
                registered = false;
                if (leaseId != 0) {
                  try {
                    // Revoking deletes the key at once, unlike letting the lease expire.
                    etcd.client()
                        .getLeaseClient()
                        .revoke(leaseId)
                        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
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
    } finally {
      loop.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- loop thread

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
      if (leaseId != 0 && System.nanoTime() - lastKeepAliveNanos >= ttl.toNanos()) {
        loseLease("no keep-alive succeeded for " + ttl.toSeconds() + "s (" + describe(e) + ")");
      }
      if (failedAttempts == 1 || failedAttempts % 20 == 0) {
        log.warn(
            "etcd registration of {}: attempt {} failed: {}", key, failedAttempts, describe(e));
      }
      scheduleTick(backoff(failedAttempts));
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
    lastKeepAliveNanos = System.nanoTime();
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

  private void grantAndPut() throws Exception {
    long oldLease = leaseId;
    long newLease =
        etcd.client()
            .getLeaseClient()
            .grant(ttl.toSeconds())
            .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .getID();
    put(newLease);
    leaseId = newLease;
    lastKeepAliveNanos = System.nanoTime();
    registered = true;
    registrations.increment();
    if (oldLease != 0 && oldLease != newLease) {
      etcd.client().getLeaseClient().revoke(oldLease); // best effort: it holds no key any more
    }
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
    leaseId = 0; // never reuse it: it may have expired
    registered = false;
  }

  private void scheduleTick(Duration delay) {
    if (!stopped) {
      loop.schedule(this::tick, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private Duration keepAliveInterval() {
    return ttl.dividedBy(3);
  }

  /** Capped exponential backoff with full jitter in [base/2, base]. */
  static Duration backoff(int attempt) {
    long base =
        Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF.toMillis() << Math.min(attempt - 1, 10));
    return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
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
    while ((c instanceof ExecutionException
            || c instanceof java.util.concurrent.CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c.getClass().getSimpleName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
  }
}
