package com.webook.platform.balancer;

import io.grpc.Attributes;
import io.grpc.ChannelLogger;
import io.grpc.ConnectivityState;
import io.grpc.ConnectivityStateInfo;
import io.grpc.EquivalentAddressGroup;
import io.grpc.LoadBalancer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A channel as a balancer sees it, without a network: subchannels connect at once when asked
 * (unless told not to), tests drive their state, and the last picker is kept. Used by balancer
 * tests and the pick benchmark, for our balancer and grpc-java's round_robin alike.
 */
public final class FakeHelper extends LoadBalancer.Helper {
  public final SynchronizationContext syncContext =
      new SynchronizationContext(
          (t, e) -> {
            throw new AssertionError("uncaught in sync context", e);
          });
  public final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-helper-timer");
            t.setDaemon(true);
            return t;
          });
  public final List<FakeSubchannel> created = new ArrayList<>();
  public volatile LoadBalancer.SubchannelPicker picker;
  public volatile ConnectivityState state;
  public int refreshes;
  public boolean autoConnect = true;

  @Override
  public LoadBalancer.Subchannel createSubchannel(LoadBalancer.CreateSubchannelArgs args) {
    FakeSubchannel s = new FakeSubchannel(args.getAddresses(), args.getAttributes());
    created.add(s);
    return s;
  }

  @Override
  public void updateBalancingState(
      ConnectivityState newState, LoadBalancer.SubchannelPicker newPicker) {
    state = newState;
    picker = newPicker;
  }

  @Override
  public void refreshNameResolution() {
    refreshes++;
  }

  @Override
  public SynchronizationContext getSynchronizationContext() {
    return syncContext;
  }

  @Override
  public ScheduledExecutorService getScheduledExecutorService() {
    return scheduler;
  }

  @Override
  public ChannelLogger getChannelLogger() {
    return new ChannelLogger() {
      @Override
      public void log(ChannelLogLevel level, String message) {}

      @Override
      public void log(ChannelLogLevel level, String messageFormat, Object... args) {}
    };
  }

  @Override
  public String getAuthority() {
    return "test-service";
  }

  @Override
  public ManagedChannel createOobChannel(EquivalentAddressGroup eag, String authority) {
    throw new UnsupportedOperationException();
  }

  public static EquivalentAddressGroup address(int port, Attributes attributes) {
    return new EquivalentAddressGroup(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), attributes);
  }

  /** A subchannel whose connectivity the test controls. */
  public final class FakeSubchannel extends LoadBalancer.Subchannel {
    private final List<EquivalentAddressGroup> addresses;
    private final Attributes attributes;
    private LoadBalancer.SubchannelStateListener listener;
    public boolean shutdown;
    public int connectionRequests;

    FakeSubchannel(List<EquivalentAddressGroup> addresses, Attributes attributes) {
      this.addresses = addresses;
      this.attributes = attributes;
    }

    @Override
    public void start(LoadBalancer.SubchannelStateListener listener) {
      this.listener = listener;
    }

    @Override
    public void requestConnection() {
      connectionRequests++;
      if (autoConnect && !shutdown) {
        syncContext.execute(() -> setState(ConnectivityState.READY));
      }
    }

    public void setState(ConnectivityState s) {
      setState(
          s == ConnectivityState.TRANSIENT_FAILURE
              ? ConnectivityStateInfo.forTransientFailure(
                  Status.UNAVAILABLE.withDescription("connection refused"))
              : ConnectivityStateInfo.forNonError(s));
    }

    public void setState(ConnectivityStateInfo info) {
      if (listener != null && !shutdown) {
        listener.onSubchannelState(info);
      }
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<EquivalentAddressGroup> getAllAddresses() {
      return addresses;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public void updateAddresses(List<EquivalentAddressGroup> addrs) {}

    @Override
    public ChannelLogger getChannelLogger() {
      return FakeHelper.this.getChannelLogger();
    }

    public SocketAddress address() {
      return addresses.get(0).getAddresses().get(0);
    }
  }
}
