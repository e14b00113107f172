package com.webook.platform.discovery;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where resolvers get the live endpoint list of a service. Implementations share one watch per
 * service among all subscribers and deliver snapshots on their own thread, never blocking the
 * caller of {@link #subscribe}.
 */
public interface ServiceDirectory {

  /**
   * Starts delivering snapshots of {@code service} to {@code listener}: at once if one is known,
   * then on every change. Close the subscription to stop.
   */
  Subscription subscribe(String service, Consumer<Snapshot> listener);

  /** Asks for a fresh listing soon (rate-limited by the implementation). */
  void requestRefresh(String service);

  /** A subscription; closing it is idempotent. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** One endpoint as published: registry data plus its resolved socket address. */
  record Endpoint(
      String instanceId, ServiceInstance instance, InetSocketAddress address, boolean held) {}

  /**
   * The full list at one moment.
   *
   * @param endpoints current endpoints, including those held by self-protection
   * @param staleSinceMillis when etcd stopped answering (0 = fresh)
   * @param error why there is no list at all (etcd unreachable before the first listing), or null
   */
  record Snapshot(String service, List<Endpoint> endpoints, long staleSinceMillis, String error) {}
}
