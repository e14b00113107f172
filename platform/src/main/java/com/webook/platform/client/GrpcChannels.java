package com.webook.platform.client;

import com.webook.platform.balancer.SmoothWeightedRoundRobinLoadBalancerProvider;
import com.webook.platform.balancer.WeightedRoundRobinServiceConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.discovery.EtcdNameResolverProvider;
import com.webook.platform.discovery.ServiceDirectory;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.routing.RouteGroup;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client side of every service call (SPEC §8.4): one channel per downstream service, addressed
 * as {@code etcd:///<service>}, resolved by our etcd resolver (over the process's {@link
 * ServiceDirectory}) and balanced by {@code webook_weighted_round_robin}, with
 *
 * <ul>
 *   <li>for the configured idempotent methods, either a hedging policy ({@code hedgingDelay} set:
 *       an attempt unanswered after that delay gets a sibling on another endpoint, so a hung
 *       instance costs one short delay, not the caller's deadline) or a retry policy on UNAVAILABLE
 *       (backoff 10 ms → 100 ms with gRPC's jitter), {@code maxAttempts} attempts either way, each
 *       on an endpoint the call has not tried ({@link CallAttemptsInterceptor});
 *   <li>a retry budget ({@code retryThrottling}, which gRPC applies to hedges too: retries and
 *       hedges stop while more than ~10 % of attempts fail, so a sick backend gets no retry storm,
 *       yet a burst of failures from one crashed instance is still retried);
 *   <li>a deadline on every call (configured per method, default per service);
 *   <li>HTTP/2 keep-alive pings while calls are open ({@code keepAliveTime}, {@code
 *       keepAliveTimeout}), so a connection whose peer stopped answering is closed;
 *   <li>the interceptors given here (metrics, tracing), and {@link RouteGroup}'s propagation;
 *   <li>gRPC's jittered reconnect backoff, so a restarted server is not hit by every client at
 *       once.
 * </ul>
 *
 * The process's {@code ServiceHost} creates it with the process's directory and closes it on stop,
 * after the server stopped serving and before the directory. Thread-safe.
 */
public final class GrpcChannels implements AutoCloseable {
  /** The etcd resolver over the process's directory (there is no service-loaded one). */
  private final NameResolver.Factory resolvers;

  private final Map<String, GrpcClientConfig> clients;
  private final List<ClientInterceptor> interceptors;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /** Channels resolved through {@code directory}, the process's one directory. */
  public GrpcChannels(
      ServiceDirectory directory,
      Map<String, GrpcClientConfig> clients,
      List<ClientInterceptor> interceptors) {
    this.resolvers = new EtcdNameResolverProvider(directory);
    this.clients = Map.copyOf(clients);
    this.interceptors = List.copyOf(interceptors);
  }

  /** The channel for {@code service} (created on first use, then shared). */
  public ManagedChannel channelFor(String service) {
    GrpcClientConfig config = clients.get(service);
    if (config == null) {
      throw new IllegalArgumentException(
          "no client config for service '" + service + "' (clients." + service + ")");
    }
    return channels.computeIfAbsent(service, s -> build(s, config));
  }

  @SuppressWarnings("deprecation")
  private ManagedChannel build(String service, GrpcClientConfig config) {
    List<ClientInterceptor> all = new ArrayList<>(interceptors);
    all.add(new DefaultDeadlineInterceptor(config));
    all.add(new CallAttemptsInterceptor(config));
    all.add(RouteGroup.propagator());
    NettyChannelBuilder builder =
        NettyChannelBuilder.forTarget(EtcdNameResolverProvider.SCHEME + ":///" + service);
    // The per-channel factory is the one way to give a channel our own directory (the
    // registry-taking builder method is not on NettyChannelBuilder).
    builder.nameResolverFactory(resolvers);
    return builder
        .usePlaintext()
        .defaultServiceConfig(serviceConfig(config))
        .disableServiceConfigLookUp()
        .enableRetry()
        .maxRetryAttempts(config.maxAttempts())
        .maxHedgedAttempts(config.maxAttempts())
        .idleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .intercept(all)
        .build();
  }

  /** The service config gRPC applies: balancer, per-method retries or hedging, retry budget. */
  static Map<String, Object> serviceConfig(GrpcClientConfig config) {
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put(
        "loadBalancingConfig",
        List.of(
            Map.of(
                SmoothWeightedRoundRobinLoadBalancerProvider.POLICY_NAME,
                WeightedRoundRobinServiceConfig.render(config.balancer()))));
    List<Object> methodConfigs = new ArrayList<>();
    double attempts = config.maxAttempts();
    if (!config.idempotentMethods().isEmpty()) {
      Map<String, Object> method = new LinkedHashMap<>();
      method.put("name", names(config.idempotentMethods()));
      if (config.hedgingDelay().isZero()) {
        method.put("retryPolicy", retryOnUnavailable(attempts));
      } else {
        // A hedged method has no retry policy (gRPC allows one or the other): UNAVAILABLE, being
        // non-fatal, sends the next hedge at once, which is a retry without backoff.
        method.put(
            "hedgingPolicy",
            Map.of(
                "maxAttempts",
                attempts,
                "hedgingDelay",
                seconds(config.hedgingDelay()),
                "nonFatalStatusCodes",
                List.of("UNAVAILABLE")));
      }
      methodConfigs.add(method);
    }
    if (!config.retriedWrites().isEmpty()) {
      Map<String, Object> method = new LinkedHashMap<>();
      method.put("name", names(config.retriedWrites()));
      method.put("retryPolicy", retryOnUnavailable(attempts));
      methodConfigs.add(method);
    }
    if (!methodConfigs.isEmpty()) {
      sc.put("methodConfig", methodConfigs);
    }
    // Token bucket: each failed attempt takes 1 token, each success gives 0.1 back, and retries
    // and hedges happen only while more than half the tokens are left. In steady state that means
    // they stop once more than ~9 % of calls fail; 100 tokens let a burst (every in-flight call on
    // a crashed instance failing at once) be retried without tripping the budget.
    sc.put("retryThrottling", Map.of("maxTokens", 100.0, "tokenRatio", 0.1));
    return sc;
  }

  private static List<Object> names(List<String> methods) {
    List<Object> names = new ArrayList<>();
    for (String m : methods) {
      int slash = m.indexOf('/');
      names.add(
          slash < 0
              ? Map.of("service", m)
              : Map.of("service", m.substring(0, slash), "method", m.substring(slash + 1)));
    }
    return names;
  }

  private static Map<String, Object> retryOnUnavailable(double attempts) {
    return Map.of(
        "maxAttempts",
        attempts,
        "initialBackoff",
        "0.01s",
        "maxBackoff",
        "0.1s",
        "backoffMultiplier",
        2.0,
        "retryableStatusCodes",
        List.of("UNAVAILABLE"));
  }

  private static String seconds(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }

  /**
   * Ready when every channel created so far to a service {@code requiredForReadiness} has a
   * connected endpoint (SPEC §2.5). An idle channel (never used, or idle for {@code idleTimeout})
   * is asked to connect and counts as not ready until it is: "idle" says nothing about whether any
   * instance exists. Channels to the other services are reported, never waited for.
   */
  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "downstream",
        () -> {
          StringBuilder down = new StringBuilder();
          StringBuilder optional = new StringBuilder();
          channels.forEach(
              (service, channel) -> {
                ConnectivityState state = channel.getState(true);
                if (state != ConnectivityState.READY) {
                  StringBuilder into =
                      clients.get(service).requiredForReadiness() ? down : optional;
                  into.append(service).append('=').append(state).append(' ');
                }
              });
          String unready =
              optional.isEmpty() ? "" : " (not required: " + optional.toString().trim() + ")";
          return down.isEmpty()
              ? ReadinessCheck.Result.ok("channels " + channels.keySet() + unready)
              : ReadinessCheck.Result.down(down.toString().trim() + unready);
        });
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel c : channels.values()) {
      try {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
  }
}
