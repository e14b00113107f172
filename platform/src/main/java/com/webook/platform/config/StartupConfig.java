package com.webook.platform.config;

import java.time.Duration;

/**
 * How long a process may take to start (SPEC §12).
 *
 * @param budget how long the process keeps retrying its dependencies (MariaDB, Redis, Kafka, etcd)
 *     at start before it gives up with a message naming the one that did not answer. Counted from
 *     the moment the process's host is created, shared by all dependencies; on a machine where many
 *     JVMs start at once a dependency that answers slowly costs a wait, not the process.
 */
public record StartupConfig(Duration budget) {
  public StartupConfig {
    Check.notNegative("budget", budget);
  }
}
