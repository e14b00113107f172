package com.webook.platform.discovery;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;

/**
 * The {@code etcd} scheme: {@code etcd:///<service>} resolves the instances registered under {@code
 * /webook/services/<service>/}, from the process's own {@link ServiceDirectory}.
 *
 * <p>Only explicit: {@code new EtcdNameResolverProvider(directory)} in a channel's own {@code
 * NameResolverRegistry}, which is what {@link com.webook.platform.client.GrpcChannels} does. It is
 * deliberately not registered through {@code META-INF/services}: a provider gRPC's default registry
 * instantiates would need its own process-wide directory, connection, thread and config (it used to
 * read {@code WEBOOK_ETCD_ENDPOINTS} and ignore the namespace), a second composition root nobody
 * used. A channel built for {@code etcd:///x} without this provider fails at once ("no
 * NameResolverProvider for etcd") instead of silently resolving against the wrong etcd namespace.
 */
public final class EtcdNameResolverProvider extends NameResolverProvider {
  public static final String SCHEME = "etcd";

  private final ServiceDirectory directory;

  /** Resolves through {@code directory}, the process's one directory. */
  public EtcdNameResolverProvider(ServiceDirectory directory) {
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
    return new EtcdNameResolver(service, directory, args.getSynchronizationContext());
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
}
