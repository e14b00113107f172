package com.webook.platform.discovery;

import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code etcd} scheme: {@code etcd:///<service>} resolves the instances registered under {@code
 * /webook/services/<service>/}.
 *
 * <p>Two ways in. Explicitly, with the process's own {@link ServiceDirectory} (what {@link
 * com.webook.platform.client.GrpcChannels} does: {@code new EtcdNameResolverProvider(dir)} in a
 * channel's own {@code NameResolverRegistry}). Or through {@code META-INF/services}: the
 * no-argument constructor, which gRPC's default registry uses, lazily connects one process-wide
 * directory to the endpoints in {@code WEBOOK_ETCD_ENDPOINTS} (system property {@code
 * webook.etcd.endpoints}; default {@code http://127.0.0.1:12379}) with default settings.
 */
public final class EtcdNameResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "etcd";

  private final Supplier<ServiceDirectory> directory;

  /** For the service loader: a lazily created process-wide directory (see class docs). */
  public EtcdNameResolverProvider() {
    this(DefaultDirectory::get);
  }

  public EtcdNameResolverProvider(ServiceDirectory directory) {
    this(() -> directory);
  }

  private EtcdNameResolverProvider(Supplier<ServiceDirectory> directory) {
    this.directory = directory;
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    String path = target.getPath() == null ? "" : target.getPath();
    String service = path.startsWith("/") ? path.substring(1) : path;
    if (service.isEmpty() || service.contains("/")) {
      throw new IllegalArgumentException("expected etcd:///<service>, got " + target);
    }
    return new EtcdNameResolver(service, directory.get(), args.getSynchronizationContext());
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 5;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  /** The SPI path's directory, created on first use (initialization-on-demand holder). */
  private static final class DefaultDirectory {
    private static final ServiceDirectory INSTANCE = create();

    static ServiceDirectory get() {
      return INSTANCE;
    }

    private static ServiceDirectory create() {
      String endpoints =
          System.getProperty(
              "webook.etcd.endpoints",
              System.getenv().getOrDefault("WEBOOK_ETCD_ENDPOINTS", "http://127.0.0.1:12379"));
      EtcdConfig config =
          new EtcdConfig(
              Arrays.stream(endpoints.split(",")).map(String::trim).toList(),
              Duration.ofSeconds(2),
              Duration.ofSeconds(3));
      return new EtcdServiceDirectory(
          EtcdConnection.open(config), DiscoveryConfig.defaults(), config.requestTimeout(), null);
    }
  }
}
