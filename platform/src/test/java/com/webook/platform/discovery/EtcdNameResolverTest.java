package com.webook.platform.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The NameResolver contract, against a directory the test controls. */
class EtcdNameResolverTest {
  private final List<String> log = new ArrayList<>();
  private final SynchronizationContext syncContext =
      new SynchronizationContext(
          (t, e) -> {
            throw new AssertionError(e);
          });
  private Consumer<ServiceDirectory.Snapshot> publish;
  private int refreshRequests;
  private boolean closed;
  private final List<NameResolver.ResolutionResult> results = new ArrayList<>();

  private final ServiceDirectory directory =
      new ServiceDirectory() {
        @Override
        public Subscription subscribe(String service, Consumer<Snapshot> listener) {
          log.add("subscribe " + service);
          publish = listener;
          return () -> closed = true;
        }

        @Override
        public void requestRefresh(String service) {
          refreshRequests++;
        }
      };

  private NameResolver start(String target) {
    NameResolver resolver =
        new EtcdNameResolverProvider(directory)
            .newNameResolver(
                URI.create(target),
                NameResolver.Args.newBuilder()
                    .setDefaultPort(443)
                    .setProxyDetector(a -> null)
                    .setSynchronizationContext(syncContext)
                    .setServiceConfigParser(
                        new NameResolver.ServiceConfigParser() {
                          @Override
                          public NameResolver.ConfigOrError parseServiceConfig(
                              Map<String, ?> rawServiceConfig) {
                            return NameResolver.ConfigOrError.fromConfig(rawServiceConfig);
                          }
                        })
                    .build());
    resolver.start(
        new NameResolver.Listener2() {
          @Override
          public void onResult(NameResolver.ResolutionResult result) {
            onResult2(result);
          }

          @Override
          public Status onResult2(NameResolver.ResolutionResult result) {
            results.add(result);
            return Status.OK;
          }

          @Override
          public void onError(Status error) {
            throw new AssertionError("onError is replaced by onResult2 with an error");
          }
        });
    return resolver;
  }

  private static ServiceDirectory.Endpoint endpoint(
      String id, int port, int weight, String group, boolean held) {
    return new ServiceDirectory.Endpoint(
        id,
        new ServiceInstance("127.0.0.1:" + port, weight, group, "v1", 42L, Map.of("zone", "a")),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
        held);
  }

  @Test
  void startOnlySubscribesAndEverySnapshotIsPublishedWholeWithAttributes() {
    NameResolver resolver = start("etcd:///user");
    assertThat(resolver.getServiceAuthority()).isEqualTo("user");
    assertThat(log).containsExactly("subscribe user");
    assertThat(results).as("nothing until the directory answers").isEmpty();

    publish.accept(
        new ServiceDirectory.Snapshot(
            "user",
            List.of(endpoint("a", 1, 3, "", false), endpoint("b", 2, 1, "canary", true)),
            0,
            null));
    assertThat(results).hasSize(1);
    List<EquivalentAddressGroup> eags = results.get(0).getAddressesOrError().getValue();
    assertThat(eags).hasSize(2);
    assertThat(eags.get(0).getAttributes().get(EndpointAttributes.WEIGHT)).isEqualTo(3);
    assertThat(eags.get(0).getAttributes().get(EndpointAttributes.VERSION)).isEqualTo("v1");
    assertThat(eags.get(0).getAttributes().get(EndpointAttributes.START_TS)).isEqualTo(42L);
    assertThat(eags.get(0).getAttributes().get(EndpointAttributes.METADATA))
        .containsEntry("zone", "a");
    assertThat(eags.get(1).getAttributes().get(EndpointAttributes.GROUP)).isEqualTo("canary");
    assertThat(eags.get(1).getAttributes().get(EndpointAttributes.HELD)).isTrue();
  }

  @Test
  void noInstancesIsUnavailableWithTheServiceNameAndTheCause() {
    start("etcd:///interactive");
    publish.accept(new ServiceDirectory.Snapshot("interactive", List.of(), 0, null));
    Status s = results.get(0).getAddressesOrError().getStatus();
    assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(s.getDescription()).isEqualTo("no instances of interactive");

    publish.accept(
        new ServiceDirectory.Snapshot(
            "interactive", List.of(), 0, "etcd unreachable: connection refused"));
    assertThat(results.get(1).getAddressesOrError().getStatus().getDescription())
        .isEqualTo("no instances of interactive (etcd unreachable: connection refused)");
  }

  @Test
  void refreshIsDelegatedAndShutdownReleasesTheSubscriptionAndSilencesLateSnapshots() {
    NameResolver resolver = start("etcd:///ranking");
    resolver.refresh();
    resolver.refresh();
    assertThat(refreshRequests).isEqualTo(2);
    resolver.shutdown();
    resolver.shutdown();
    assertThat(closed).isTrue();
    publish.accept(
        new ServiceDirectory.Snapshot("ranking", List.of(endpoint("a", 1, 1, "", false)), 0, null));
    assertThat(results).as("nothing after shutdown").isEmpty();
    resolver.refresh();
    assertThat(refreshRequests).isEqualTo(2);
  }

  @Test
  void otherSchemesAndMalformedTargets() {
    EtcdNameResolverProvider provider = new EtcdNameResolverProvider(directory);
    NameResolver.Args args =
        NameResolver.Args.newBuilder()
            .setDefaultPort(1)
            .setProxyDetector(a -> null)
            .setSynchronizationContext(syncContext)
            .setServiceConfigParser(
                new NameResolver.ServiceConfigParser() {
                  @Override
                  public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> raw) {
                    return null;
                  }
                })
            .build();
    assertThat(provider.newNameResolver(URI.create("dns:///user"), args)).isNull();
    assertThatThrownBy(() -> provider.newNameResolver(URI.create("etcd:///"), args))
        .hasMessageContaining("etcd:///<service>");
    assertThatThrownBy(() -> provider.newNameResolver(URI.create("etcd:///a/b"), args))
        .hasMessageContaining("etcd:///<service>");
    assertThat(provider.getDefaultScheme()).isEqualTo("etcd");
  }

  @Test
  void theEtcdSchemeIsOnlyExplicitNeverServiceLoaded() {
    // A service-loaded provider would need a second, process-wide directory that knows nothing of
    // the process's etcd config (namespace included); channels get ours from GrpcChannels.
    assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("etcd")).isNull();
  }
}
