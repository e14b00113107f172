package com.webook.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private etcd server (the Debian {@code etcd} binary the local stack installs) that a test can
 * stop, kill, wipe and restart on the same ports: what discovery tests need to prove behaviour
 * during outages without touching the shared stack.
 */
public final class EtcdProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final String BINARY = "/usr/bin/etcd";

  private final Path dataDir;
  private final Path log;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  private EtcdProcess(Path dataDir, int clientPort, int peerPort) {
    this.dataDir = dataDir;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  /** Starts a fresh etcd on free ports with its data under {@code target/etcd-<name>}. */
  public static EtcdProcess start(String name) {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(
          BINARY + " not found: install etcd-server (deploy/local/stack up does)");
    }
    Path dir =
        Path.of("target", "etcd-" + name + "-" + ProcessHandle.current().pid()).toAbsolutePath();
    EtcdProcess etcd = new EtcdProcess(dir, ServiceProcess.freePort(), ServiceProcess.freePort());
    etcd.wipe();
    etcd.startProcess();
    return etcd;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + clientPort;
  }

  public int clientPort() {
    return clientPort;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Graceful stop (SIGTERM). */
  public void stop() {
    if (isRunning()) {
      process.destroy();
      waitFor();
    }
  }

  /** Crash (SIGKILL). */
  public void kill() {
    if (isRunning()) {
      process.destroyForcibly();
      waitFor();
    }
  }

  /** Starts again on the same ports and data directory (which may have been wiped). */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("etcd is still running");
    }
    startProcess();
  }

  /** Deletes all data; only while stopped. */
  public void wipe() {
    if (isRunning()) {
      throw new IllegalStateException("stop etcd before wiping it");
    }
    if (Files.exists(dataDir)) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The server's Prometheus metrics. */
  public String metrics() throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(endpoint() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Watchers the server currently holds ({@code etcd_debugging_mvcc_watcher_total}). */
  public long watchers() throws IOException, InterruptedException {
    Matcher m =
        Pattern.compile("(?m)^etcd_debugging_mvcc_watcher_total (\\S+)$").matcher(metrics());
    if (!m.find()) {
      throw new IllegalStateException("etcd exposes no watcher count");
    }
    return (long) Double.parseDouble(m.group(1));
  }

  @Override
  public void close() {
    kill();
    wipe();
  }

  private void startProcess() {
    try {
      Files.createDirectories(dataDir.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      BINARY,
                      "--name",
                      "test",
                      "--data-dir",
                      dataDir.toString(),
                      "--listen-client-urls",
                      endpoint(),
                      "--advertise-client-urls",
                      endpoint(),
                      "--listen-peer-urls",
                      "http://127.0.0.1:" + peerPort,
                      "--initial-advertise-peer-urls",
                      "http://127.0.0.1:" + peerPort,
                      "--initial-cluster",
                      "test=http://127.0.0.1:" + peerPort,
                      "--log-level",
                      "warn"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start etcd", e);
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("etcd exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(endpoint() + "/health"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("true")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("etcd not healthy within 30 s; see " + log);
  }

  private void waitFor() {
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
