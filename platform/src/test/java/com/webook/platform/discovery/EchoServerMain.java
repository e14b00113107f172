package com.webook.platform.discovery;

import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.metrics.Metrics;
import com.webook.platform.server.AdminHttpServer;
import com.webook.platform.server.GrpcServer;
import com.webook.platform.server.ProcessSignals;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.grpc.testing.protobuf.SimpleRequest;
import io.grpc.testing.protobuf.SimpleResponse;
import io.grpc.testing.protobuf.SimpleServiceGrpc;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A real service process for the discovery tests: the platform's GrpcServer and etcd registrar
 * around a tiny service. {@code whoami} answers the instance id; {@code weight:N} changes the
 * registered weight at runtime; {@code sleep:N} answers after N ms. With {@code --unavailable true}
 * every call fails with UNAVAILABLE.
 *
 * <p>Arguments: {@code --service --port --admin --weight --group --ttl --drain --etcd --instance
 * --unavailable --start-budget} (durations in ISO-8601, e.g. {@code PT3S}).
 *
 * <p>Its {@code registry} readiness check follows {@link EtcdServiceRegistrar#isRegistered()}: down
 * while waiting for etcd at start <b>and</b> while a lost lease is being replaced, so tests can see
 * the registrar's state from outside.
 */
public final class EchoServerMain {
  private EchoServerMain() {}

  public static void main(String[] argv) {
    com.webook.platform.server.Startup.run("echo", () -> run(argv));
  }

  private static void run(String[] argv) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    int port = Integer.parseInt(a.get("port"));
    String instance = a.getOrDefault("instance", "127.0.0.1:" + port);
    boolean unavailable = Boolean.parseBoolean(a.getOrDefault("unavailable", "false"));
    var metrics = Metrics.newRegistry(a.get("service"), instance);

    EtcdConfig etcdConfig =
        new EtcdConfig(
            List.of(a.get("etcd").split(",")), Duration.ofSeconds(1), Duration.ofSeconds(2));
    EtcdConnection etcd = EtcdConnection.open(etcdConfig);
    GrpcServerConfig grpc =
        new GrpcServerConfig(
            port,
            "127.0.0.1",
            Duration.parse(a.getOrDefault("drain", "PT1S")),
            Duration.ofSeconds(10),
            1 << 20);
    RegistryConfig registry =
        new RegistryConfig(
            true,
            a.get("service"),
            instance,
            Integer.parseInt(a.getOrDefault("weight", "1")),
            a.getOrDefault("group", ""),
            "test",
            Duration.parse(a.getOrDefault("ttl", "PT3S")),
            Map.of());
    Clock clock = Clock.systemUTC();
    ScheduledExecutorService registrarLoop = EtcdServiceRegistrar.newLoop(a.get("service"));
    EtcdServiceRegistrar registrar =
        EtcdServiceRegistrar.fromConfig(
            etcd,
            registry,
            grpc,
            etcdConfig.requestTimeout(),
            Duration.parse(a.getOrDefault("start-budget", "PT60S")),
            metrics,
            clock,
            registrarLoop);

    GrpcServer server =
        GrpcServer.builder(a.get("service"), grpc)
            .addService(
                new SimpleServiceGrpc.SimpleServiceImplBase() {
                  @Override
                  public void unaryRpc(SimpleRequest request, StreamObserver<SimpleResponse> out) {
                    if (unavailable) {
                      out.onError(
                          Status.UNAVAILABLE
                              .withDescription("always unavailable")
                              .asRuntimeException());
                      return;
                    }
                    String m = request.getRequestMessage();
                    if (m.startsWith("weight:")) {
                      registrar.updateWeight(Integer.parseInt(m.substring(7))).join();
                    } else if (m.startsWith("sleep:")) {
                      try {
                        Thread.sleep(Long.parseLong(m.substring(6)));
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                    out.onNext(SimpleResponse.newBuilder().setResponseMessage(instance).build());
                    out.onCompleted();
                  }
                })
            .metrics(metrics)
            .registration(registrar)
            .build();
    AdminHttpServer admin =
        new AdminHttpServer(Integer.parseInt(a.get("admin")), metrics)
            .addCheck(server.readinessCheck())
            .addCheck(
                ReadinessCheck.of(
                    "registry",
                    () ->
                        registrar.isRegistered()
                            ? ReadinessCheck.Result.ok("registered")
                            : ReadinessCheck.Result.down("not registered")));
    // Closed in reverse order: the registrar's loop, then etcd, then the admin port.
    server.closeOnStop(admin).closeOnStop(etcd).closeOnStop(registrarLoop);
    admin.start();
    server.start();
    ProcessSignals.onTerminate(server::stop);
    server.awaitTermination();
  }
}
