package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The BFF as a real process on the platform host: starts although no downstream service is
 * registered (readiness then reports each downstream), serves /hello on Jetty 12, tags responses
 * with a request id, stops cleanly.
 */
class BffAppIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void servesHelloWithRequestIdsAndStopsWithExitZero() throws Exception {
    int httpPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    try (ServiceProcess bff =
        ServiceProcess.builder("bff-gateway", BffApp.class.getName())
            .env("WEBOOK_HTTP_PORT", String.valueOf(httpPort))
            .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
            .env("WEBOOK_ETCD_ENDPOINTS", TestStack.etcdEndpoints())
            // Its own etcd namespace: a user-svc a developer runs on the same etcd must not make it
            // ready.
            .env("WEBOOK_ETCD_NAMESPACE", "/" + TestStack.unique("bff-it"))
            .env("WEBOOK_REDIS_URL", TestStack.redisUrl())
            .start()) {
      // Not /health/ready as a whole: without a registered user-svc the BFF is live but not
      // ready. Its `process` condition says when the HTTP port serves (the admin port answers
      // from the start, while Redis connects).
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                assertThat(bff.isAlive()).as("process alive\n%s", bff.logTail()).isTrue();
                assertThat(status(adminPort, "/health/live")).isEqualTo(200);
                assertThat(body(adminPort, "/health/ready")).contains("process: ok - HTTP :");
              });

      HttpResponse<String> hello =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("hello");
      assertThat(hello.headers().firstValue("X-Request-Id"))
          .as("generated when absent")
          .hasValueSatisfying(id -> assertThat(id).hasSize(36));

      HttpResponse<String> echoed =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello"))
                  .header("X-Request-Id", "req-123")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("req-123");

      // The channel connects on the first probe (an idle channel counts as ready until then).
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () -> {
                HttpResponse<String> ready =
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode())
                    .as("no user-svc registered: not ready\n%s", ready.body())
                    .isEqualTo(503);
                assertThat(ready.body())
                    .as("readiness covers Redis and every downstream channel")
                    .contains("redis: ok")
                    .contains("downstream: DOWN")
                    .contains("user=")
                    .contains("article=")
                    .contains("interactive=")
                    // reported, never waited for: the hot list keeps its last copy without it
                    .contains("(not required: ranking=");
              });
      assertThat(bff.log()).contains("INSECURE: JWT or WeChat state keys are the dev profile's");

      bff.terminate();
      assertThat(bff.waitForExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
    }
  }

  private String body(int port, String path) throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private int status(int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
