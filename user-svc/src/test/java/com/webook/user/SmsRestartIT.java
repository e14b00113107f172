package com.webook.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.api.sms.v1.SendRequest;
import com.webook.api.sms.v1.SmsServiceGrpc;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.user.service.sms.FakeSmsGateway;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing accepted is lost across a crash: user-svc (a real process) accepts SMS into async_sms
 * while its only provider fails, is SIGKILLed while its worker is in the middle of a send, and a
 * new process delivers every message once the provider is healthy — including the one the dead
 * process had claimed ("sending"), which the new one takes back after sms.async.reclaimAfter.
 */
class SmsRestartIT {
  private static final int MESSAGES = 5;

  @TempDir Path dir;

  @Test
  void acceptedMessagesSurviveASigkillAndAreDeliveredOnceAfterRestart() throws Exception {
    List<String> tokens =
        IntStream.range(0, MESSAGES).mapToObj(i -> TestStack.unique("tok")).toList();
    try (TestDatabase db = TestStack.newDatabase("user_sms_restart");
        FakeSmsGateway gateway = new FakeSmsGateway().mode(FakeSmsGateway.Mode.ERROR_500)) {
      // A list of providers cannot be written as env vars: it comes in a --config file; the
      // scalar knobs come as WEBOOK_SMS_* variables.
      Path providers =
          Files.writeString(
              dir.resolve("sms-providers.yaml"),
              """
          sms:
            allowLogProvider: false
            providers:
              - type: http
                name: %s
                endpoint: %s
                appId: webook-test
                secret: dev-secret
                signName: webook
                timeout: 8s
                successPointer: /code
                successValue: OK
          """
                  .formatted(TestStack.unique("fake"), gateway.endpoint()));
      Map<String, String> env = new HashMap<>(TestStack.serviceEnv(db.name()));
      env.put("WEBOOK_REGISTRY_ENABLED", "false");
      env.put("WEBOOK_SMS_ASYNC_DETECTOR_MIN_REQUESTS", "1");
      env.put("WEBOOK_SMS_ASYNC_MAX_RETRY", "100");
      env.put("WEBOOK_SMS_ASYNC_INITIAL_BACKOFF", "300ms");
      env.put("WEBOOK_SMS_ASYNC_MAX_BACKOFF", "1s");
      env.put("WEBOOK_SMS_ASYNC_POLL_INTERVAL", "200ms");
      env.put("WEBOOK_SMS_ASYNC_RECLAIM_AFTER", "10s");

      try (Running first = start(env, providers)) {
        ManagedChannel channel =
            NettyChannelBuilder.forAddress("127.0.0.1", first.grpcPort()).usePlaintext().build();
        try {
          SmsServiceGrpc.SmsServiceBlockingStub sms = SmsServiceGrpc.newBlockingStub(channel);
          for (String token : tokens) {
            sms.withDeadlineAfter(10, TimeUnit.SECONDS)
                .send(
                    SendRequest.newBuilder()
                        .setTplId("notice")
                        .addArgs(token)
                        .addNumbers("13800001111")
                        .build());
          }
        } finally {
          channel.shutdownNow();
        }
        assertThat(count(db, "1=1"))
            .as("every request accepted into async_sms")
            .isEqualTo(MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> count(db, "retry_cnt >= 1") >= 1);
        assertThat(gateway.accepted()).isEmpty();

        // Catch the worker in the middle of a send (it waits up to the 8 s timeout for the
        // now hanging gateway), then crash the process.
        gateway.mode(FakeSmsGateway.Mode.SLOW).slowness(Duration.ofSeconds(60));
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> count(db, "status = 1") == 1);
        first.process().kill();
        first.process().waitForExit(Duration.ofSeconds(30));
      }
      assertThat(count(db, "status = 1")).as("left in 'sending' by the dead process").isEqualTo(1);
      assertThat(count(db, "status = 2")).isZero();

      gateway.mode(FakeSmsGateway.Mode.OK);
      try (Running second = start(env, providers)) {
        await().atMost(Duration.ofSeconds(90)).until(() -> count(db, "status = 2") == MESSAGES);

        assertThat(gateway.acceptedTokens())
            .as("every message, exactly once")
            .containsExactlyInAnyOrderElementsOf(tokens);
        assertThat(second.process().log()).contains("took back 1 async SMS row(s)");
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  String metrics = metrics(second);
                  assertThat(counter(metrics, "sms_async_worker_total", "result=\"sent\""))
                      .isEqualTo((double) MESSAGES);
                  assertThat(counter(metrics, "sms_async_worker_total", "result=\"reclaimed\""))
                      .isEqualTo(1.0);
                });
        second.process().terminate();
        assertThat(second.process().waitForExit(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  /** A started user-svc and its gRPC port. */
  private record Running(ServiceProcess process, int grpcPort, int adminPort)
      implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  private static Running start(Map<String, String> env, Path config) {
    int grpcPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    ServiceProcess p =
        ServiceProcess.builder("user-svc-sms-restart", UserApp.class.getName())
            .env(env)
            .env("WEBOOK_GRPC_PORT", String.valueOf(grpcPort))
            .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
            .arg("--config")
            .arg(config.toString())
            .start();
    try {
      p.awaitReady(adminPort, Duration.ofSeconds(90));
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    return new Running(p, grpcPort, adminPort);
  }

  private static String metrics(Running r) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + r.adminPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** The value of the Prometheus sample {@code name{…label…}}. */
  private static double counter(String metrics, String name, String label) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
    while (m.find()) {
      if (m.group(1).contains(label)) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError(name + "{" + label + "} not exposed");
  }

  private static int count(TestDatabase db, String where) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                db.jdbcUrl(), TestStack.mysqlUser(), TestStack.mysqlPassword());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM async_sms WHERE " + where)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
