package com.webook.platform.client;

import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.server.ReadinessCheck;
import io.grpc.ClientInterceptor;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client side of every service call: one channel per downstream service, addressed as
 * {@code etcd:///<service>} (resolved by our etcd resolver, balanced by our smooth weighted
 * round-robin balancer), with default deadlines per method and the interceptors given here.
 * The composition root owns it and closes it on stop. Thread-safe.
 */
public final class GrpcChannels implements AutoCloseable {
  private final Map<String, GrpcClientConfig> clients;
  private final List<ClientInterceptor> interceptors;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public GrpcChannels(Map<String, GrpcClientConfig> clients, List<ClientInterceptor> interceptors) {
    this.clients = Map.copyOf(clients);
    this.interceptors = List.copyOf(interceptors);
  }

  /** The channel for {@code service} (created on first use, then shared). */
  public ManagedChannel channelFor(String service) {
    GrpcClientConfig config = clients.get(service);
    if (config == null) {
      throw new IllegalArgumentException("no client config for service '" + service + "' (clients." + service + ")");
    }
    return channels.computeIfAbsent(service, s -> build(s, config));
  }

  private ManagedChannel build(String service, GrpcClientConfig config) {
    List<ClientInterceptor> all = new ArrayList<>(interceptors);
    all.add(new DefaultDeadlineInterceptor(config));
    return NettyChannelBuilder.forTarget("etcd:///" + service)
        .usePlaintext()
        .intercept(all)
        .build();
  }

  /** Ready when every channel created so far has a connection up (SPEC §2.5). */
  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of("downstream", () -> {
      StringBuilder down = new StringBuilder();
      channels.forEach((service, channel) -> {
        ConnectivityState state = channel.getState(true);
        if (state != ConnectivityState.READY && state != ConnectivityState.IDLE) {
          down.append(service).append('=').append(state).append(' ');
        }
      });
      return down.isEmpty() ? ReadinessCheck.Result.ok(channels.keySet().toString())
          : ReadinessCheck.Result.down(down.toString().trim());
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
