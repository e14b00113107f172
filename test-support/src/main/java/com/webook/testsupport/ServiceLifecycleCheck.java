package com.webook.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The life of one service process, checked the way operators see it: it starts against the real
 * stack with its own database, migrates it, becomes ready, lists its services through gRPC
 * reflection, exposes metrics, and exits 0 on SIGTERM. Each service's *AppIT runs it.
 *
 * @param name process name (for logs)
 * @param mainClass the service's main class
 */
public record ServiceLifecycleCheck(String name, String mainClass) {

  /** What the check observed, for the test's assertions. */
  public record Observed(
      List<String> listedServices,
      List<String> createdTables,
      String metrics,
      List<String> registeredWhileUp,
      List<String> registeredAfterStop,
      int exitCode,
      Duration stopTime,
      String log) {}

  /**
   * Starts the service as a process, records what it serves (reflection list, tables, metrics,
   * registry key), terminates it and records how it stopped.
   *
   * @param service the registry name the process registers under ({@code
   *     /webook/services/<service>/})
   */
  public Observed run(String service, Map<String, String> extraEnv) throws Exception {
    int grpcPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    try (TestDatabase db = TestStack.newDatabase(name.replace('-', '_'));
        ServiceProcess process =
            ServiceProcess.builder(name, mainClass)
                .env(TestStack.serviceEnv(db.name()))
                .env("WEBOOK_GRPC_PORT", String.valueOf(grpcPort))
                .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
                .env(extraEnv)
                .start()) {
      process.awaitReady(adminPort, Duration.ofSeconds(90));
      List<String> listed = GrpcProbe.listServices("127.0.0.1", grpcPort);
      List<String> created = new ArrayList<>();
      try (Connection c =
              DriverManager.getConnection(
                  db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
          ResultSet rs = c.getMetaData().getTables(db.name(), null, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          created.add(rs.getString("TABLE_NAME"));
        }
      }
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      String prefix = "/webook/services/" + service + "/127.0.0.1:" + grpcPort;
      List<String> registered = EtcdKeys.withPrefix(TestStack.etcdEndpoint(), prefix);
      long stopStart = System.nanoTime();
      process.terminate();
      int exit = process.waitForExit(Duration.ofSeconds(30));
      Duration stopTime = Duration.ofNanos(System.nanoTime() - stopStart);
      List<String> afterStop = EtcdKeys.withPrefix(TestStack.etcdEndpoint(), prefix);
      return new Observed(
          listed, created, metrics, registered, afterStop, exit, stopTime, process.log());
    }
  }
}
