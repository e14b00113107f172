package com.webook.testsupport;

import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers fallback for machines with a Docker engine and no local stack. One container of
 * each kind per test JVM, started on first use; Ryuk removes them when the JVM ends.
 */
final class Containers {
  private static Boolean docker;
  private static GenericContainer<?> etcd;
  private static MariaDBContainer mariadb;
  private static GenericContainer<?> redis;
  private static KafkaContainer kafka;

  private Containers() {}

  static synchronized boolean dockerAvailable() {
    if (docker == null) {
      boolean available;
      try {
        available = DockerClientFactory.instance().isDockerAvailable();
      } catch (RuntimeException | LinkageError e) {
        available = false;
      }
      docker = available;
    }
    return docker;
  }

  static synchronized String etcd() {
    if (etcd == null) {
      etcd =
          new GenericContainer<>(DockerImageName.parse("quay.io/coreos/etcd:v3.5.17"))
              .withCommand(
                  "etcd",
                  "--listen-client-urls",
                  "http://0.0.0.0:2379",
                  "--advertise-client-urls",
                  "http://127.0.0.1:2379")
              .withExposedPorts(2379)
              .waitingFor(
                  Wait.forHttp("/health").forPort(2379).withStartupTimeout(Duration.ofSeconds(60)));
      etcd.start();
    }
    return "http://" + etcd.getHost() + ":" + etcd.getMappedPort(2379);
  }

  static synchronized String mariadbUrl() {
    startMariadb();
    return "jdbc:mariadb://" + mariadb.getHost() + ":" + mariadb.getMappedPort(3306) + "/";
  }

  static synchronized String mariadbUser() {
    startMariadb();
    return "root";
  }

  static synchronized String mariadbPassword() {
    startMariadb();
    return mariadb.getPassword();
  }

  private static void startMariadb() {
    if (mariadb == null) {
      mariadb = new MariaDBContainer("mariadb:11.4").withUsername("root").withPassword("webook");
      mariadb.start();
    }
  }

  static synchronized String redis() {
    if (redis == null) {
      redis =
          new GenericContainer<>(DockerImageName.parse("redis:7.2"))
              .withExposedPorts(6379)
              .waitingFor(Wait.forListeningPort());
      redis.start();
    }
    return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
  }

  static synchronized String kafka() {
    if (kafka == null) {
      kafka = new KafkaContainer("apache/kafka:4.1.1");
      kafka.start();
    }
    return kafka.getBootstrapServers();
  }
}
