package com.webook.article.testing;

import com.webook.api.user.v1.BatchProfileRequest;
import com.webook.api.user.v1.BatchProfileResponse;
import com.webook.api.user.v1.User;
import com.webook.api.user.v1.UserServiceGrpc;
import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestStack;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted user-svc that article-svc finds the real way: served by the platform's host and
 * registered in etcd (under the test's namespace) as service {@code user}. It answers {@code
 * BatchProfile} from the nicknames the test sets, fails with UNAVAILABLE while {@link #failing} is
 * set, and counts calls. Thread-safe.
 */
public final class FakeUserSvc implements AutoCloseable {
  record Config(
      GrpcServerConfig grpc,
      AdminConfig admin,
      EtcdConfig etcd,
      RegistryConfig registry,
      StartupConfig startup)
      implements ServiceHost.GrpcServiceConfig {}

  private final Map<Long, String> nicknames = new ConcurrentHashMap<>();
  private final AtomicInteger batchCalls = new AtomicInteger();
  private volatile boolean failing;
  private final ServiceHost host;

  public FakeUserSvc(String etcdNamespace) {
    int port = ServiceProcess.freePort();
    Config config =
        new Config(
            new GrpcServerConfig(port, "127.0.0.1", Duration.ZERO, Duration.ofSeconds(5), 4 << 20),
            new AdminConfig(0),
            new EtcdConfig(
                List.of(TestStack.etcdEndpoints().split(",")),
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                etcdNamespace),
            new RegistryConfig(true, "user", "", 10, "", "test", Duration.ofSeconds(5), Map.of()),
            new StartupConfig(Duration.ofSeconds(30)));
    host = new ServiceHost("fake-user-svc", config);
    try {
      host.start(server -> server.addService(new Users()));
    } catch (Exception e) {
      host.stop();
      throw new IllegalStateException("cannot start the fake user-svc", e);
    }
  }

  public FakeUserSvc nickname(long uid, String nickname) {
    nicknames.put(uid, nickname);
    return this;
  }

  /** While true, every call fails UNAVAILABLE (user-svc down). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  public int batchCalls() {
    return batchCalls.get();
  }

  @Override
  public void close() {
    host.stop();
  }

  private final class Users extends UserServiceGrpc.UserServiceImplBase {
    @Override
    public void batchProfile(
        BatchProfileRequest request, StreamObserver<BatchProfileResponse> out) {
      batchCalls.incrementAndGet();
      if (failing) {
        out.onError(Status.UNAVAILABLE.withDescription("user-svc is down").asRuntimeException());
        return;
      }
      BatchProfileResponse.Builder response = BatchProfileResponse.newBuilder();
      for (long id : request.getIdsList()) {
        String name = nicknames.get(id);
        if (name != null) {
          response.putUsers(id, User.newBuilder().setId(id).setNickname(name).build());
        }
      }
      out.onNext(response.build());
      out.onCompleted();
    }
  }
}
