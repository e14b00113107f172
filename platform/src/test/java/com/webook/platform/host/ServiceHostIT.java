package com.webook.platform.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.GrpcServerConfig;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.RegistryConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.retry.StartBudget;
import com.webook.platform.retry.StartBudgetExceededException;
import com.webook.testsupport.ServiceProcess;
import com.webook.testsupport.TcpProxy;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The host against the real stack: dependencies that answer only after a while (behind a {@link
 * TcpProxy} that refuses, then forwards), a start budget that runs out, and the stop order.
 */
class ServiceHostIT {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ListAppender<ILoggingEvent> budgetLog = new ListAppender<>();
  private final Logger budgetLogger = (Logger) LoggerFactory.getLogger(StartBudget.class);

  /** A gRPC service's config, calling one other service ({@code echo}). */
  record HostConfig(
      GrpcServerConfig grpc,
      AdminConfig admin,
      EtcdConfig etcd,
      RegistryConfig registry,
      StartupConfig startup,
      DiscoveryConfig discovery,
      Map<String, GrpcClientConfig> clients)
      implements ServiceHost.GrpcServiceConfig, ServiceHost.DownstreamConfig {}

  private static HostConfig config(Duration budget) {
    return new HostConfig(
        new GrpcServerConfig(
            ServiceProcess.freePort(), "127.0.0.1", Duration.ZERO, Duration.ofSeconds(5), 1 << 20),
        new AdminConfig(0),
        new EtcdConfig(
            List.of(TestStack.etcdEndpoint()),
            Duration.ofSeconds(2),
            Duration.ofSeconds(3),
            "/" + TestStack.unique("host-it")),
        new RegistryConfig(false, "host-it", "", 10, "", "test", Duration.ofSeconds(10), Map.of()),
        new StartupConfig(budget),
        DiscoveryConfig.defaults(),
        Map.of("echo", GrpcClientConfig.of(Duration.ofSeconds(2))));
  }

  @BeforeEach
  void captureBudgetLog() {
    budgetLog.start();
    budgetLogger.addAppender(budgetLog);
  }

  @AfterEach
  void releaseBudgetLog() {
    budgetLogger.detachAppender(budgetLog);
  }

  @Test
  void liveAtOnceReadyOnlyAfterLateMariaDbAndRedisAnswerAndTheServerServes() throws Exception {
    URI mysql = URI.create(TestStack.mysqlServerUrl().substring("jdbc:".length()));
    URI redis = URI.create(TestStack.redisUrl());
    try (TestDatabase database = TestStack.newDatabase("host_it");
        TcpProxy mysqlProxy = TcpProxy.to(mysql.getHost(), mysql.getPort());
        TcpProxy redisProxy = TcpProxy.to(redis.getHost(), redis.getPort())) {
      mysqlProxy.cut();
      redisProxy.cut();
      ServiceHost host = new ServiceHost("host-it", config(Duration.ofSeconds(90)));
      try {
        CompletableFuture<Void> starting =
            CompletableFuture.runAsync(
                () -> {
                  host.database(
                      new MysqlConfig(
                          "jdbc:mariadb://127.0.0.1:" + mysqlProxy.port() + "/",
                          database.name(),
                          TestStack.mysqlUser(),
                          TestStack.mysqlPassword(),
                          4,
                          Duration.ofSeconds(3)));
                  host.redis(
                      new RedisConfig(
                          "redis://127.0.0.1:" + redisProxy.port(), Duration.ofSeconds(1)));
                  try {
                    host.start(server -> {});
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });

        awaitWaitingFor("MariaDB");
        assertThat(get(host, "/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> waitingForDb = get(host, "/health/ready");
        assertThat(waitingForDb.statusCode()).isEqualTo(503);
        assertThat(waitingForDb.body()).contains("process: DOWN - connecting to MariaDB at");

        mysqlProxy.restore();
        awaitWaitingFor("Redis");
        HttpResponse<String> waitingForRedis = get(host, "/health/ready");
        assertThat(waitingForRedis.statusCode()).isEqualTo(503);
        assertThat(waitingForRedis.body())
            .contains(
                "process: DOWN - connecting to Redis at redis://127.0.0.1:" + redisProxy.port())
            .contains("database: ok");

        redisProxy.restore();
        starting.get(60, TimeUnit.SECONDS);
        HttpResponse<String> ready = get(host, "/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(ready.body()).contains("process: ok", "database: ok", "redis: ok", "grpc: ok");
        assertThat(messages("waiting for MariaDB")).as("one line per wait").hasSize(1);
        assertThat(messages("waiting for Redis")).hasSize(1);
        assertThat(messages("connected to MariaDB")).hasSize(1);
        assertThat(messages("connected to Redis")).hasSize(1);
      } finally {
        host.stop();
      }
    }
  }

  @Test
  void aDependencyThatNeverAnswersEndsTheStartNamingItOnceTheBudgetIsSpent() throws Exception {
    URI redis = URI.create(TestStack.redisUrl());
    try (TcpProxy redisProxy = TcpProxy.to(redis.getHost(), redis.getPort())) {
      redisProxy.cut();
      ServiceHost host = new ServiceHost("host-it", config(Duration.ofSeconds(2)));
      try {
        String url = "redis://127.0.0.1:" + redisProxy.port();
        StartBudgetExceededException e =
            catchThrowableOfType(
                StartBudgetExceededException.class,
                () -> host.redis(new RedisConfig(url, Duration.ofSeconds(1))));

        assertThat(e.getMessage())
            .startsWith("cannot connect to Redis at " + url + " within the start budget of 2s (")
            .contains("config startup.budget");
        HttpResponse<String> ready = get(host, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("process: DOWN - connecting to Redis at " + url);
      } finally {
        host.stop();
      }
    }
  }

  @Test
  void stopEndsThePublicPortThenResourcesNewestFirstWithTheAdminPortLast() throws Exception {
    ServiceHost host = new ServiceHost("host-it", config(Duration.ofSeconds(30)));
    List<String> events = new CopyOnWriteArrayList<>();
    host.onStop(() -> events.add("older resource: " + observe(host)));
    ManagedChannel echo = host.channel("echo");
    host.onStop(() -> events.add("newer resource: " + observe(host)));
    host.start(
        PublicPort.of(
            () -> "test port",
            () -> events.add("port started"),
            () -> events.add("port stopped: " + observe(host))));
    int adminPort = host.adminPort();

    host.stop();

    assertThat(echo.isShutdown()).isTrue();
    assertThat(events)
        .containsExactly(
            "port started",
            "port stopped: channel open, live 200, ready 503",
            "newer resource: channel open, live 200, ready 503",
            "older resource: channel shut down, live 200, ready 503");
    assertThat(catchThrowableOfType(IOException.class, () -> get(adminPort, "/health/live")))
        .as("the admin port is closed last")
        .isNotNull();
  }

  /** What a resource sees while it is closed: the channel's state and the admin port's answers. */
  private String observe(ServiceHost host) {
    try {
      return (host.clients().channelFor("echo").isShutdown() ? "channel shut down" : "channel open")
          + ", live "
          + get(host, "/health/live").statusCode()
          + ", ready "
          + get(host, "/health/ready").statusCode();
    } catch (IOException e) {
      return "admin port closed: " + e;
    }
  }

  private void awaitWaitingFor(String dependency) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !messages("waiting for " + dependency).isEmpty());
  }

  private List<String> messages(String prefix) {
    return budgetLog.list.stream()
        .map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(prefix))
        .toList();
  }

  private HttpResponse<String> get(ServiceHost host, String path) throws IOException {
    return get(host.adminPort(), path);
  }

  private HttpResponse<String> get(int port, String path) throws IOException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
