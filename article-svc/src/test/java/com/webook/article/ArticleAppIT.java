package com.webook.article;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.webook.testsupport.ServiceLifecycleCheck;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TcpProxy;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * article-svc as a real process against the local stack: start, migrate, serve, stop; and a start
 * whose Redis answers late, never, or is abandoned by a SIGTERM (the service kit's start budget).
 */
class ArticleAppIT {
  private static final List<String> SERVICES = List.of("article.v1.ArticleService");
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void startsMigratesServesReflectionAndStopsWithExitZero() throws Exception {
    var observed =
        new ServiceLifecycleCheck("article-svc", ArticleApp.class.getName())
            .run("article", Map.of());

    assertThat(observed.listedServices())
        .as("grpcurl list")
        .containsAll(SERVICES)
        .contains("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(observed.createdTables())
        .contains("articles", "published_articles", "flyway_schema_history");
    assertThat(observed.metrics())
        .contains("hikaricp_connections", "jvm_memory_used_bytes", "kafka_admin_client");
    assertThat(observed.registeredWhileUp()).as("registered in etcd while serving").hasSize(1);
    assertThat(observed.registeredAfterStop()).as("deregistered on SIGTERM").isEmpty();
    assertThat(observed.exitCode()).as("exit code after SIGTERM").isZero();
    assertThat(observed.log()).contains("stopping: deregister").contains("stopped in");
  }

  @Test
  void aRedisThatAnswersLateIsWaitedForLiveButNotReadyMeanwhile() throws Exception {
    try (TestDatabase db = TestStack.newDatabase("article_late");
        TcpProxy redis = cutRedisProxy();
        Started article = start(db, redis, Map.of())) {
      awaitWaitingForRedis(article.process);
      assertThat(get(article.adminPort, "/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> waiting = get(article.adminPort, "/health/ready");
      assertThat(waiting.statusCode()).isEqualTo(503);
      assertThat(waiting.body())
          .contains("process: DOWN - connecting to Redis at redis://127.0.0.1:" + redis.port());

      redis.restore();
      article.process.awaitReady(article.adminPort, Duration.ofSeconds(90));

      assertThat(count(article.process.log(), "waiting for Redis at"))
          .as("logged once")
          .isEqualTo(1);
      assertThat(article.process.log()).contains("connected to Redis at", "article-svc ready:");
      article.process.terminate();
      assertThat(article.process.waitForExit(Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  void aRedisThatNeverAnswersEndsTheStartWithOneLineOnceTheBudgetIsSpent() throws Exception {
    try (TestDatabase db = TestStack.newDatabase("article_never");
        TcpProxy redis = cutRedisProxy();
        Started article = start(db, redis, Map.of("WEBOOK_STARTUP_BUDGET", "3s"))) {
      int exit = article.process.waitForExit(Duration.ofSeconds(90));

      assertThat(exit).isEqualTo(1);
      assertThat(article.process.log())
          .contains(
              "article-svc cannot start: cannot connect to Redis at redis://127.0.0.1:"
                  + redis.port()
                  + " within the start budget of 3s (")
          .as("one line, no stack trace")
          .doesNotContain("StartBudgetExceededException");
    }
  }

  @Test
  void aSigtermWhileWaitingForADependencyEndsTheProcessWithExitZero() throws Exception {
    try (TestDatabase db = TestStack.newDatabase("article_term");
        TcpProxy redis = cutRedisProxy();
        Started article = start(db, redis, Map.of())) {
      awaitWaitingForRedis(article.process);

      article.process.terminate();

      assertThat(article.process.waitForExit(Duration.ofSeconds(30))).isZero();
    }
  }

  /** A process and its admin port. */
  private record Started(ServiceProcess process, int adminPort) implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  private static Started start(TestDatabase db, TcpProxy redis, Map<String, String> env) {
    int grpcPort = ServiceProcess.freePort();
    int adminPort = ServiceProcess.freePort();
    ServiceProcess process =
        ServiceProcess.builder(TestStack.unique("article-svc"), ArticleApp.class.getName())
            .env(TestStack.serviceEnv(db.name()))
            .env("WEBOOK_REDIS_URL", "redis://127.0.0.1:" + redis.port())
            // Its own etcd namespace: no other test's client routes to this instance.
            .env("WEBOOK_ETCD_NAMESPACE", "/" + TestStack.unique("article-start"))
            .env("WEBOOK_GRPC_PORT", String.valueOf(grpcPort))
            .env("WEBOOK_ADMIN_PORT", String.valueOf(adminPort))
            .env(env)
            .start();
    return new Started(process, adminPort);
  }

  private static TcpProxy cutRedisProxy() {
    URI redis = URI.create(TestStack.redisUrl());
    TcpProxy proxy = TcpProxy.to(redis.getHost(), redis.getPort());
    proxy.cut();
    return proxy;
  }

  private static void awaitWaitingForRedis(ServiceProcess process) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(process.isAlive()).as("alive\n%s", process.logTail()).isTrue();
              assertThat(process.log()).contains("waiting for Redis at");
            });
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
