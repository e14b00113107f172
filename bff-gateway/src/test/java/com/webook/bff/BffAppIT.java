package com.webook.bff;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The BFF as a real process: serves /hello on Jetty 12, tags responses with a request id, stops cleanly. */
class BffAppIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesHelloWithRequestIdsAndStopsWithExitZero() throws Exception {
    int httpPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    try (ServiceProcess bff = ServiceProcess.builder("bff-gateway", BffApp.class.getName())
        .env("WEBOOK_HTTP_PORT", String.valueOf(httpPort))
        .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
        .env("WEBOOK_ETCD_ENDPOINTS", TestStack.etcdEndpoints())
        .env("WEBOOK_REDIS_URL", TestStack.redisUrl())
        .start()) {
      bff.awaitReady(adminPort, Duration.ofSeconds(60));

      HttpResponse<String> hello = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("hello");
      assertThat(hello.headers().firstValue("X-Request-Id")).as("generated when absent").hasValueSatisfying(
          id -> assertThat(id).hasSize(36));

      HttpResponse<String> echoed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/hello"))
          .header("X-Request-Id", "req-123").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(echoed.headers().firstValue("X-Request-Id")).hasValue("req-123");

      bff.terminate();
      assertThat(bff.waitForExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
    }
  }
}
