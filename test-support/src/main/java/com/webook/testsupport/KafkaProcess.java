package com.webook.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A private single-node KRaft Kafka broker, from the same jars the local stack runs ({@code
 * deploy/local/stack up} fetches them into {@code .local/kafka/libs}), on free ports with its data
 * under {@code target/}: for tests that stop Kafka without touching the shared stack. A restart
 * keeps the data and the ports, so clients reconnect to the same broker.
 */
public final class KafkaProcess implements AutoCloseable {
  private final Path dir;
  private final Path log;
  private final Path properties;
  private final int port;
  private final int controllerPort;
  private final Path libs;
  private Process process;

  private KafkaProcess(Path dir, Path libs, int port, int controllerPort) {
    this.dir = dir;
    this.log = dir.resolveSibling(dir.getFileName() + ".log");
    this.properties = dir.resolve("server.properties");
    this.libs = libs;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats and starts a fresh broker; returns once it answers an admin request. */
  public static KafkaProcess start(String name) {
    Path libs = libs();
    Path dir =
        Path.of("target", "kafka-" + name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
    KafkaProcess kafka =
        new KafkaProcess(dir, libs, ServiceProcess.freePort(), ServiceProcess.freePort());
    kafka.wipe();
    kafka.format();
    kafka.startProcess();
    return kafka;
  }

  /**
   * The broker jars: {@code WEBOOK_KAFKA_LIBS}, else {@code <WEBOOK_LOCAL_DIR or the repository's
   * .local>/kafka/libs}.
   */
  static Path libs() {
    String explicit = System.getenv("WEBOOK_KAFKA_LIBS");
    Path libs;
    if (explicit != null && !explicit.isBlank()) {
      libs = Path.of(explicit);
    } else {
      String local = System.getenv("WEBOOK_LOCAL_DIR");
      libs =
          (local != null && !local.isBlank() ? Path.of(local) : repositoryRoot().resolve(".local"))
              .resolve("kafka")
              .resolve("libs");
    }
    if (!Files.exists(libs.resolve(".complete"))) {
      throw new IllegalStateException(
          "Kafka broker jars not found in "
              + libs
              + ": run deploy/local/stack up (it fetches them), or set WEBOOK_KAFKA_LIBS");
    }
    return libs;
  }

  private static Path repositoryRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (no mvnw above the cwd)");
    }
    return p;
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful stop (SIGTERM): the broker flushes and leaves. */
  public void stop() {
    if (isRunning()) {
      process.destroy();
      waitFor(60);
    }
  }

  /** Freezes the broker (SIGSTOP): connections stay open, nothing answers. */
  public void freeze() {
    signal("STOP");
  }

  /** Thaws a frozen broker (SIGCONT). */
  public void thaw() {
    signal("CONT");
  }

  /** Starts again on the same ports and data. */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("Kafka is still running");
    }
    startProcess();
  }

  /** Creates a topic on this broker (replication 1). */
  public void createTopic(String topic, int partitions) {
    try (Admin admin = admin()) {
      admin
          .createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrap(), e);
    }
  }

  public Admin admin() {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  @Override
  public void close() {
    if (isRunning()) {
      thaw();
      process.destroyForcibly();
      waitFor(20);
    }
    wipe();
  }

  private void format() {
    try {
      Files.createDirectories(dir.resolve("data"));
      Files.writeString(
          properties,
          String.join(
              "\n",
              "process.roles=broker,controller",
              "node.id=1",
              "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
              "listeners=PLAINTEXT://127.0.0.1:"
                  + port
                  + ",CONTROLLER://127.0.0.1:"
                  + controllerPort,
              "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
              "controller.listener.names=CONTROLLER",
              "inter.broker.listener.name=PLAINTEXT",
              "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
              "log.dirs=" + dir.resolve("data"),
              "num.partitions=1",
              "offsets.topic.replication.factor=1",
              "offsets.topic.num.partitions=3",
              "transaction.state.log.replication.factor=1",
              "transaction.state.log.min.isr=1",
              "share.coordinator.state.topic.replication.factor=1",
              "share.coordinator.state.topic.min.isr=1",
              "group.initial.rebalance.delay.ms=0",
              "auto.create.topics.enable=false",
              ""));
      Process f =
          java(List.of(
                  "-XX:TieredStopAtLevel=1",
                  "kafka.tools.StorageTool",
                  "format",
                  "--ignore-formatted",
                  "-t",
                  clusterId(),
                  "-c",
                  properties.toString()))
              .start();
      if (!f.waitFor(120, TimeUnit.SECONDS) || f.exitValue() != 0) {
        throw new IllegalStateException("formatting Kafka storage failed; see " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A KRaft cluster id: 16 random bytes, base64url without padding (what random-uuid prints). Never
   * one that starts with '-' (1 in 64 would): the storage tool's argument parser takes "-t -Xy…"
   * for an option and fails ("expected one argument") — a CI run failed that way. Kafka's own
   * {@code Uuid.randomUuid} draws again for the same reason.
   */
  static String clusterId() {
    while (true) {
      UUID u = UUID.randomUUID();
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
      String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
      if (!id.startsWith("-")) {
        return id;
      }
    }
  }

  private void startProcess() {
    try {
      process =
          java(List.of(
                  "-Xms128m",
                  "-Xmx512m",
                  "-XX:+UseSerialGC",
                  "-Djava.awt.headless=true",
                  "kafka.Kafka",
                  properties.toString()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka", e);
    }
    awaitAnswering();
  }

  private ProcessBuilder java(List<String> args) {
    Path logConfig = repositoryRoot().resolve("deploy/local/kafka/log4j2.properties");
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Files.exists(logConfig)) {
      command.add("-Dlog4j2.configurationFile=" + logConfig);
    }
    command.add("-cp");
    command.add(libs.resolve("*").toString());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(Map.of("KAFKA_HEAP_OPTS", ""));
    return pb;
  }

  private void awaitAnswering() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (Admin admin = admin()) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Kafka exited with " + process.exitValue() + "; see " + log);
        }
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (Exception e) {
          Thread.sleep(Duration.ofMillis(200));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("Kafka did not answer within 120 s; see " + log);
  }

  private void signal(String signal) {
    if (!isRunning()) {
      return;
    }
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void waitFor(int seconds) {
    try {
      process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void wipe() {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
