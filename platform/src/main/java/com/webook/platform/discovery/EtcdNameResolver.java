package com.webook.platform.discovery;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves {@code etcd:///<service>} from a {@link ServiceDirectory} (SPEC §8.2), following
 * grpc-java's {@link NameResolver} contract: {@link #start} never blocks (it only subscribes),
 * every listener call happens in the channel's {@link SynchronizationContext}, {@link #refresh()}
 * is idempotent and rate-limited by the directory, {@link #shutdown()} releases the subscription
 * (the shared watch lingers in the directory, so an idle channel's next resolver gets the list at
 * once).
 *
 * <p>Each snapshot is published whole: one {@link EquivalentAddressGroup} per instance, with
 * weight, group, version, startTs, metadata and the self-protection flag as attributes. No instance
 * → {@code UNAVAILABLE "no instances of <service>"}.
 */
final class EtcdNameResolver extends NameResolver {
  private static final Logger log = LoggerFactory.getLogger(EtcdNameResolver.class);

  private final String service;
  private final ServiceDirectory directory;
  private final SynchronizationContext syncContext;
  // Accessed only in the synchronization context.
  private Listener2 listener;
  private ServiceDirectory.Subscription subscription;
  private ServiceDirectory.Snapshot last;
  private boolean shutdown;

  EtcdNameResolver(String service, ServiceDirectory directory, SynchronizationContext syncContext) {
    this.service = service;
    this.directory = directory;
    this.syncContext = syncContext;
  }

  @Override
  public String getServiceAuthority() {
    return service;
  }

  @Override
  public void start(Listener2 listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = listener;
    subscription =
        directory.subscribe(service, snapshot -> syncContext.execute(() -> onSnapshot(snapshot)));
  }

  @Override
  public void refresh() {
    if (shutdown || listener == null) {
      return;
    }
    directory.requestRefresh(service);
  }

  @Override
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    if (subscription != null) {
      subscription.close();
    }
  }

  private void onSnapshot(ServiceDirectory.Snapshot snapshot) {
    if (shutdown) {
      return;
    }
    last = snapshot;
    if (snapshot.endpoints().isEmpty()) {
      String why =
          "no instances of "
              + service
              + (snapshot.error() != null ? " (" + snapshot.error() + ")" : "");
      Status status = Status.UNAVAILABLE.withDescription(why);
      listener.onResult2(
          ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromStatus(status)).build());
      return;
    }
    List<EquivalentAddressGroup> groups = new ArrayList<>(snapshot.endpoints().size());
    for (ServiceDirectory.Endpoint e : snapshot.endpoints()) {
      groups.add(
          new EquivalentAddressGroup(
              e.address(), EndpointAttributes.of(e.instanceId(), e.instance(), e.held())));
    }
    Status accepted =
        listener.onResult2(
            ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(groups)).build());
    if (!accepted.isOk()) {
      log.debug("{}: balancer rejected {} endpoints: {}", service, groups.size(), accepted);
    }
  }
}
