package com.webook.ranking.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessLoadTest {
  @ParameterizedTest(name = "cpu {0} -> {1}")
  @CsvSource({"-1.0, 0", "NaN, 0", "0.0, 0", "0.004, 0", "0.426, 43", "1.0, 100", "1.2, 100"})
  void cpuShareAsPercentUnknownAsZero(double share, int expected) {
    assertThat(new ProcessLoad("", () -> share).getAsInt()).isEqualTo(expected);
  }

  @Test
  void theFileIsReReadOnEveryCallAndAnUnreadableOneKeepsTheLastValue(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("load");
    AtomicReference<Double> cpu = new AtomicReference<>(0.99);
    ProcessLoad load = new ProcessLoad(file.toString(), cpu::get);

    assertThat(load.getAsInt()).as("missing before any read: 0, not the CPU").isZero();
    Files.writeString(file, "35\n");
    assertThat(load.getAsInt()).isEqualTo(35);
    Files.writeString(file, " 90 ");
    assertThat(load.getAsInt()).as("re-read").isEqualTo(90);
    Files.writeString(file, "lots");
    assertThat(load.getAsInt()).as("malformed: the last value").isEqualTo(90);
    Files.delete(file);
    assertThat(load.getAsInt()).as("gone: the last value").isEqualTo(90);
    Files.writeString(file, "250");
    assertThat(load.getAsInt()).as("clamped").isEqualTo(100);
    Files.writeString(file, "-3");
    assertThat(load.getAsInt()).isZero();
  }

  @Test
  void theRealCpuIsWithinRange() {
    assertThat(new ProcessLoad("").getAsInt()).isBetween(0, 100);
  }
}
