package com.webook.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.webook.testsupport.ServiceLifecycleCheck;
import com.webook.testsupport.TestStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** interactive-svc as a real process against the local stack: start, migrate, serve, stop. */
class InteractiveAppIT {
  private static final List<String> SERVICES = List.of("intr.v1.InteractiveService");

  @Test
  void startsMigratesServesReflectionAndStopsWithExitZero() throws Exception {
    var observed =
        new ServiceLifecycleCheck("interactive-svc", InteractiveApp.class.getName())
            .run(
                "interactive",
                // A group of its own: it must not join (and rebalance) anyone else's.
                Map.of("WEBOOK_EVENTS_GROUP", TestStack.unique("intr-lifecycle")));

    assertThat(observed.listedServices())
        .as("grpcurl list")
        .containsAll(SERVICES)
        .contains("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(observed.createdTables())
        .contains(
            "interactives",
            "user_like_bizs",
            "user_collection_bizs",
            "collections",
            "flyway_schema_history");
    assertThat(observed.metrics())
        .contains("hikaricp_connections", "jvm_memory_used_bytes", "kafka_admin_client");
    assertThat(observed.registeredWhileUp()).as("registered in etcd while serving").hasSize(1);
    assertThat(observed.registeredAfterStop()).as("deregistered on SIGTERM").isEmpty();
    assertThat(observed.exitCode()).as("exit code after SIGTERM").isZero();
    assertThat(observed.log()).contains("stopping: deregister").contains("stopped in");
  }
}
