package com.webook.platform.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The platform's test copy of the {@code jobs} table is ranking-svc's migration: the scheduler is
 * tested against the table it will run on.
 */
class JobsDdlMirrorTest {
  @Test
  void theTestTableIsRankingSvcsMigration() throws IOException {
    // Surefire runs with the module directory as working directory.
    Path migration = Path.of("../ranking-svc/src/main/resources/db/migration/V1__jobs.sql");
    String copy;
    try (InputStream in = getClass().getResourceAsStream("/job/jobs.sql")) {
      copy = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String withoutHeader = copy.substring(copy.indexOf("-- SPEC"));
    assertThat(withoutHeader).isEqualTo(Files.readString(migration));
  }
}
