package com.webook.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A service started as a real OS process from the test's own classpath, driven like production
 * drives it: configured through {@code WEBOOK_*} variables, probed on its admin port, stopped with
 * SIGTERM ({@link #terminate()}) or SIGKILL ({@link #kill()}). Its output goes to {@code
 * target/service-logs/<name>.log} so a failing test can show it.
 */
public final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static Builder builder(String name, String mainClass) {
    return new Builder(name, mainClass);
  }

  /** A process running a module's shaded jar, found under {@code <moduleDir>/target/*-all.jar}. */
  public static Builder fromModuleJar(String name, Path moduleDir) {
    try (var files = Files.list(moduleDir.resolve("target"))) {
      Path jar =
          files
              .filter(p -> p.getFileName().toString().endsWith("-all.jar"))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no *-all.jar in " + moduleDir + "/target: package it first"));
      return new Builder(name, null).jar(jar);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A free TCP port on this machine (racy by nature, good enough for tests). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code http://127.0.0.1:<port>/health/ready} until it answers 200. */
  public ServiceProcess awaitReady(int adminPort, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready.\n" + logTail());
      }
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort + "/health/ready"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return this;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        name + " not ready within " + timeout + " (last: " + last + ")\n" + logTail());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM: the graceful stop. */
  public void terminate() {
    process.destroy();
  }

  /** SIGSTOP: the process freezes (a long GC pause, a hung host) without dying. */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT: a paused process goes on where it stopped. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL: a crash. */
  public void kill() {
    process.destroyForcibly();
  }

  /**
   * Waits for the exit and returns the exit code; fails if it takes longer than {@code timeout}.
   */
  public int waitForExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            name + " still running after " + timeout + "\n" + logTail());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  public String logTail() {
    String all = log();
    return "---- last output of "
        + name
        + " ----\n"
        + (all.length() > 6000 ? all.substring(all.length() - 6000) : all);
  }

  /** Kills the process if a test left it running. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Collects environment and arguments; {@link #start()} launches. */
  public static final class Builder {
    private final String name;
    private final String mainClass;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private Path jar;
    private final List<String> jvmArgs =
        new ArrayList<>(
            List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));

    private Builder(String name, String mainClass) {
      this.name = name;
      this.mainClass = mainClass;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder arg(String arg) {
      args.add(arg);
      return this;
    }

    /**
     * Runs this runnable jar (e.g. a service's shaded {@code *-all.jar}) instead of the main class
     * on the test classpath: what production runs, with only that service's resources.
     */
    public Builder jar(Path runnableJar) {
      this.jar = runnableJar;
      return this;
    }

    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    /** The environment for the log line, with secrets replaced. */
    private static Map<String, String> masked(Map<String, String> env) {
      Map<String, String> out = new LinkedHashMap<>();
      env.forEach(
          (k, v) -> out.put(k, k.matches("(?i).*(password|secret|key|token).*") ? "***" : v));
      return out;
    }

    public ServiceProcess start() {
      String javaBin =
          ProcessHandle.current()
              .info()
              .command()
              .orElse(System.getProperty("java.home") + "/bin/java");
      List<String> command = new ArrayList<>();
      command.add(javaBin);
      command.addAll(jvmArgs);
      if (jar != null) {
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
      } else {
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
      }
      command.addAll(args);
      try {
        Path dir = Path.of("target", "service-logs");
        Files.createDirectories(dir);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(
            log,
            "==== start " + name + " " + java.time.Instant.now() + " env " + masked(env) + "\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND);
        pb.environment().putAll(env);
        return new ServiceProcess(name, pb.start(), log);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name, e);
      }
    }
  }
}
