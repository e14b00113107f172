package com.webook.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server process of the test's own (no persistence, loopback only), so a test can kill
 * Redis without touching the shared stack. Only this process is ever killed, by its handle.
 */
public final class ThrowawayRedis implements AutoCloseable {
  private final Process process;
  private final int port;

  private ThrowawayRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static ThrowawayRedis start() {
    int port = ServiceProcess.freePort();
    try {
      Path dir =
          Files.createDirectories(Path.of("target", "throwaway-redis", String.valueOf(port)));
      Process p =
          new ProcessBuilder(
                  "redis-server",
                  "--port",
                  String.valueOf(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "no",
                  "--dir",
                  dir.toAbsolutePath().toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      ThrowawayRedis redis = new ThrowawayRedis(p, port);
      redis.awaitPong(Duration.ofSeconds(20));
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
    }
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * SIGSTOP: the server keeps its connections open and answers nothing — a hung Redis, as a long GC
   * pause or a stuck disk makes one. {@link #thaw()} (or {@link #close()}) ends it.
   */
  public void freeze() {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze()}. */
  public void thaw() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid()))
              .redirectErrorStream(true)
              .start();
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

  /** SIGKILL, then wait until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server on :" + port + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill(); // SIGKILL also ends a frozen (SIGSTOP'd) process
    }
  }

  private void awaitPong(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server on :" + port + " exited with " + process.exitValue());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        OutputStream out = s.getOutputStream();
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[7];
        int n = in.readNBytes(buf, 0, 7);
        if (n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n")) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException(
        "redis-server on :" + port + " did not answer PING within " + timeout);
  }
}
