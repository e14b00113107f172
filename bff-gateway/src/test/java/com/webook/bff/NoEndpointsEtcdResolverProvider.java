package com.webook.bff;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.Status;
import java.net.URI;

/**
 * TEST-ONLY stand-in for the platform's etcd resolver while it is not on this branch: resolves
 * {@code etcd:///<service>} to no endpoints at all, which is what the real one reports while no
 * instance is registered. It has the lowest priority, so the real provider (default priority 5)
 * wins as soon as it is on the classpath; delete this class and its
 * {@code META-INF/services} entry then.
 */
public final class NoEndpointsEtcdResolverProvider extends NameResolverProvider {
  @Override
  protected boolean isAvailable() {
    return true;
  }

  @Override
  protected int priority() {
    return 0;
  }

  @Override
  public String getDefaultScheme() {
    return "etcd";
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    if (!"etcd".equals(targetUri.getScheme())) {
      return null;
    }
    String service = targetUri.getPath().replaceFirst("^/", "");
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return service;
      }

      @Override
      public void start(Listener2 listener) {
        listener.onError(Status.UNAVAILABLE.withDescription("no instance of " + service + " registered"));
      }

      @Override
      public void shutdown() {}
    };
  }
}
