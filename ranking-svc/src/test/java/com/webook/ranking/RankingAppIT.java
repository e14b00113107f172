package com.webook.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.testsupport.ServiceLifecycleCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ranking-svc as a real process against the local stack: start, migrate, serve, stop. */
class RankingAppIT {
  private static final List<String> SERVICES = List.of("ranking.v1.RankingService");

  @Test
  void startsMigratesServesReflectionAndStopsWithExitZero() throws Exception {
    var observed =
        new ServiceLifecycleCheck("ranking-svc", RankingApp.class.getName())
            .run("ranking", Map.of());

    assertThat(observed.listedServices())
        .as("grpcurl list")
        .containsAll(SERVICES)
        .contains("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(observed.createdTables()).contains("jobs", "ranking_runs", "flyway_schema_history");
    assertThat(observed.metrics()).contains("hikaricp_connections", "jvm_memory_used_bytes");
    assertThat(observed.registeredWhileUp()).as("registered in etcd while serving").hasSize(1);
    assertThat(observed.registeredAfterStop()).as("deregistered on SIGTERM").isEmpty();
    assertThat(observed.exitCode()).as("exit code after SIGTERM").isZero();
    assertThat(observed.log()).contains("stopping: deregister").contains("stopped in");
  }
}
