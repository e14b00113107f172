package com.webook.platform.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.config.MysqlConfig;
import com.webook.platform.db.Database;
import com.webook.platform.db.TransactionTracker;
import com.webook.platform.retry.StartBudget;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A call to another service inside a real jOOQ transaction of a real database is counted, one
 * outside is not; the tracker forgets the transaction once it committed or rolled back.
 */
class RemoteCallInTransactionIT {
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final TransactionTracker transactions = new TransactionTracker();
  private TestDatabase testDb;
  private Database db;
  private Server server;
  private ManagedChannel channel;
  private HealthGrpc.HealthBlockingStub health;

  @BeforeEach
  void start() throws Exception {
    testDb = TestStack.newDatabase("txcalls");
    db =
        Database.connect(
            new MysqlConfig(
                TestStack.mysqlServerUrl(),
                testDb.name(),
                TestStack.mysqlUser(),
                TestStack.mysqlPassword(),
                2,
                Duration.ofSeconds(3)),
            "txcalls-it",
            metrics,
            StartBudget.none(),
            transactions);
    String name = "txcalls-" + UUID.randomUUID();
    server =
        InProcessServerBuilder.forName(name)
            .addService(new HealthStatusManager().getHealthService())
            .build()
            .start();
    channel =
        InProcessChannelBuilder.forName(name)
            .intercept(new RemoteCallInTransactionInterceptor(transactions, metrics))
            .build();
    health = HealthGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
    db.close();
    testDb.close();
  }

  private double counted() {
    var counter =
        metrics
            .find("webook.db.remote.calls.in.transaction")
            .tag("grpc_service", "grpc.health.v1.Health")
            .tag("method", "Check")
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private void call() {
    health.check(HealthCheckRequest.getDefaultInstance());
  }

  @Test
  void aCallOutsideATransactionIsNotCounted() {
    call();
    db.dsl().selectOne().fetch();
    assertThat(counted()).isZero();
  }

  @Test
  void aCallInsideATransactionIsCounted() {
    db.dsl()
        .transaction(
            cfg -> {
              cfg.dsl().selectOne().fetch();
              call();
            });
    assertThat(counted()).isEqualTo(1);
    call(); // after the commit
    assertThat(counted()).isEqualTo(1);
    assertThat(transactions.inTransaction()).isFalse();
  }

  @Test
  void nestedTransactionsAndRollbacksEndCleanly() {
    db.dsl()
        .transaction(
            outer -> {
              outer
                  .dsl()
                  .transaction(
                      inner -> {
                        call();
                      });
              assertThat(transactions.inTransaction()).isTrue(); // still in the outer one
              call();
            });
    assertThat(counted()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                db.dsl()
                    .transaction(
                        cfg -> {
                          throw new IllegalStateException("rolled back");
                        }))
        .hasMessage("rolled back");
    assertThat(transactions.inTransaction()).isFalse();
    call();
    assertThat(counted()).isEqualTo(2);
  }
}
