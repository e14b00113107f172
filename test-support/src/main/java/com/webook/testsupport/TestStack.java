package com.webook.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Where the integration tests find real infrastructure. In order:
 *
 * <ol>
 *   <li>{@code WEBOOK_ETCD_ENDPOINTS}, {@code WEBOOK_MYSQL_URL} (+ {@code WEBOOK_MYSQL_USER},
 *       {@code WEBOOK_MYSQL_PASSWORD}), {@code WEBOOK_REDIS_URL}, {@code WEBOOK_KAFKA_BOOTSTRAP}:
 *       set by {@code deploy/local/webook test} to the local stack;
 *   <li>otherwise, if a Docker engine answers, Testcontainers ({@link Containers});
 *   <li>otherwise the test fails with {@link #HOW_TO_START} — it is never skipped.
 * </ol>
 *
 * Tests isolate their data: {@link #newDatabase} gives each test its own database, {@link
 * #newTopic} its own topic, {@link #unique} its own key prefix.
 */
public final class TestStack {
  public static final String HOW_TO_START =
      """
      Integration tests need etcd, MariaDB, Redis and Kafka, and none were found:
      the WEBOOK_* endpoint variables are unset and no Docker engine answers.
      Start the local stack and run the tests through the README's test command:
          deploy/local/webook test
      or start it yourself and export its endpoints:
          deploy/local/stack up && eval "$(deploy/local/stack env)\"""";

  private TestStack() {}

  public static String etcdEndpoints() {
    return resolve("WEBOOK_ETCD_ENDPOINTS", () -> Containers.etcd());
  }

  /** First etcd endpoint, for clients that take one. */
  public static String etcdEndpoint() {
    return etcdEndpoints().split(",", 2)[0].trim();
  }

  /** Server JDBC URL without a database, e.g. {@code jdbc:mariadb://127.0.0.1:13316/}. */
  public static String mysqlServerUrl() {
    return resolve("WEBOOK_MYSQL_URL", () -> Containers.mariadbUrl());
  }

  public static String mysqlUser() {
    String fromEnv = System.getenv("WEBOOK_MYSQL_USER");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return System.getenv("WEBOOK_MYSQL_URL") != null ? "root" : Containers.mariadbUser();
  }

  public static String mysqlPassword() {
    String fromEnv = System.getenv("WEBOOK_MYSQL_PASSWORD");
    if (fromEnv != null) {
      return fromEnv;
    }
    return System.getenv("WEBOOK_MYSQL_URL") != null ? "" : Containers.mariadbPassword();
  }

  public static String redisUrl() {
    return resolve("WEBOOK_REDIS_URL", () -> Containers.redis());
  }

  public static String kafkaBootstrap() {
    return resolve("WEBOOK_KAFKA_BOOTSTRAP", () -> Containers.kafka());
  }

  /** A prefix no other test (or earlier run) uses: {@code <name>-<8 hex chars>}. */
  public static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Opens a connection to the MariaDB server (no database selected). */
  public static Connection serverConnection() throws SQLException {
    return DriverManager.getConnection(mysqlServerUrl(), mysqlUser(), mysqlPassword());
  }

  /** Creates an empty database owned by the calling test; closing it drops the database. */
  public static TestDatabase newDatabase(String prefix) {
    String name =
        ("t_" + prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10))
            .replaceAll("[^A-Za-z0-9_]", "_");
    try (Connection c = serverConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create test database on " + mysqlServerUrl() + ": " + e.getMessage(), e);
    }
    return new TestDatabase(name, jdbcUrl(name));
  }

  /** The JDBC URL of {@code database} on the test server. */
  public static String jdbcUrl(String database) {
    String server = mysqlServerUrl();
    int q = server.indexOf('?');
    String base = q < 0 ? server : server.substring(0, q);
    String query = q < 0 ? "" : server.substring(q);
    int hostStart = base.indexOf("//") + 2;
    int slash = base.indexOf('/', hostStart);
    return (slash < 0 ? base : base.substring(0, slash)) + "/" + database + query;
  }

  /** Creates a topic only the calling test uses. */
  public static String newTopic(String prefix, int partitions) {
    String topic = unique(prefix);
    try (Admin admin = kafkaAdmin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot create topic " + topic + " on " + kafkaBootstrap(), e);
    }
    return topic;
  }

  public static Admin kafkaAdmin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    return Admin.create(p);
  }

  /**
   * The WEBOOK_* variables a service process needs to use this stack, with its own database.
   * Services read {@code mysql.url} (server) and {@code mysql.database} separately.
   */
  public static Map<String, String> serviceEnv(String database) {
    return Map.of(
        "WEBOOK_ETCD_ENDPOINTS", etcdEndpoints(),
        "WEBOOK_MYSQL_URL", mysqlServerUrl(),
        "WEBOOK_MYSQL_USER", mysqlUser(),
        "WEBOOK_MYSQL_PASSWORD", mysqlPassword(),
        "WEBOOK_MYSQL_DATABASE", database,
        "WEBOOK_REDIS_URL", redisUrl(),
        "WEBOOK_KAFKA_BOOTSTRAP", kafkaBootstrap());
  }

  private static String resolve(String env, java.util.function.Supplier<String> container) {
    String value = System.getenv(env);
    if (value != null && !value.isBlank()) {
      return value;
    }
    if (Containers.dockerAvailable()) {
      return container.get();
    }
    throw new IllegalStateException(env + " is not set.\n" + HOW_TO_START);
  }
}
