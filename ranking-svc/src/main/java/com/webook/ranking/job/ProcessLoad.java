package com.webook.ranking.job;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's load, 0–100, as {@link LoadAwareLeadership} publishes it: the process CPU ({@code
 * OperatingSystemMXBean#getProcessCpuLoad}, the share of all the machine's cores this JVM used
 * recently; unknown → 0), or, when a load file is configured, the integer in that file, re-read on
 * every call — how tests and drills make a running process look loaded ({@code echo 95 > file}). An
 * unreadable or malformed file keeps the last value read (0 before any), logged once until the file
 * reads again. Values are clamped to 0–100.
 *
 * <p>Note on CPU: the figure includes the ranking computation itself, so a holder whose run is
 * CPU-heavy may measure itself above the handover threshold right after its run and hand over; the
 * next holder is then the least-loaded instance, which is the point of SPEC §7.2.
 *
 * <p>Called from the leadership loop and the job's thread; thread-safe (the last value is
 * volatile).
 */
public final class ProcessLoad implements IntSupplier {
  private static final Logger log = LoggerFactory.getLogger(ProcessLoad.class);

  private final Path file;
  private final DoubleSupplier cpuLoad;
  private volatile int last;
  private volatile boolean warned;

  /** From {@link LeadershipConfig#loadFile()}: empty → the process CPU. */
  public ProcessLoad(String loadFile) {
    this(
        loadFile,
        ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class)
            ::getProcessCpuLoad);
  }

  /** For tests: {@code cpuLoad} stands in for the MXBean (0.0–1.0, negative when unknown). */
  ProcessLoad(String loadFile, DoubleSupplier cpuLoad) {
    this.file = loadFile == null || loadFile.isBlank() ? null : Path.of(loadFile.strip());
    this.cpuLoad = cpuLoad;
  }

  @Override
  public int getAsInt() {
    return file == null ? fromCpu() : fromFile();
  }

  private int fromCpu() {
    double share = cpuLoad.getAsDouble();
    // Negative: the platform cannot tell yet (the first call) or at all; NaN is treated alike.
    if (!(share > 0)) {
      return 0;
    }
    return clamp((int) Math.round(share * 100));
  }

  private int fromFile() {
    try {
      last = clamp(Integer.parseInt(Files.readString(file).strip()));
      warned = false;
    } catch (IOException | NumberFormatException | SecurityException e) {
      if (!warned) {
        warned = true;
        log.warn(
            "load file {} unreadable ({}); keeping the last load {} until it reads again",
            file,
            e.toString(),
            last);
      }
    }
    return last;
  }

  private static int clamp(int load) {
    return Math.max(0, Math.min(100, load));
  }
}
