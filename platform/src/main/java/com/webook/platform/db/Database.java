package com.webook.platform.db;

import com.webook.platform.config.MysqlConfig;
import com.webook.platform.health.ReadinessCheck;
import com.webook.platform.retry.StartBudget;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's own database: a HikariCP pool (metered through Hikari's Micrometer tracker), its
 * Flyway migrations, and the jOOQ context the DAOs use. Closing it closes the pool.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource dataSource;
  private final DSLContext dsl;
  private final TransactionTracker transactions;

  private Database(HikariDataSource dataSource, TransactionTracker transactions) {
    this.dataSource = dataSource;
    this.transactions = transactions;
    this.dsl =
        DSL.using(
            new DefaultConfiguration()
                .set(dataSource)
                .set(SQLDialect.MARIADB)
                .set(new Settings().withExecuteLogging(false))
                .set(transactions));
  }

  /**
   * Opens the pool with one attempt and fails at once with a clear message when the database cannot
   * be reached (tests and tools; a service's host uses {@link #connect(MysqlConfig, String,
   * MeterRegistry, StartBudget)}).
   */
  public static Database connect(MysqlConfig config, String poolName, MeterRegistry metrics) {
    return connect(config, poolName, metrics, StartBudget.none(), new TransactionTracker());
  }

  /**
   * Opens the pool, retrying within {@code budget} while the server does not answer (it may be
   * starting, or slow on a busy machine). Each attempt is one connection with the pool's connection
   * timeout; the budget's backoff spaces them.
   *
   * @param transactions told about every transaction of this database's {@link #dsl()}
   * @throws com.webook.platform.retry.StartBudgetExceededException naming the database and server
   *     once the budget is spent
   */
  public static Database connect(
      MysqlConfig config,
      String poolName,
      MeterRegistry metrics,
      StartBudget budget,
      TransactionTracker transactions) {
    return budget.connect(
        "MariaDB",
        config.jdbcUrl() + " as " + config.user(),
        () -> {
          probe(config);
          return new Database(
              new HikariDataSource(hikariConfig(config, poolName, metrics)), transactions);
        });
  }

  /**
   * One plain connection, closed at once. Hikari logs a failed start at ERROR with a stack trace;
   * probing first keeps a wait for a starting server to the budget's one log line.
   */
  private static void probe(MysqlConfig config) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", config.user());
    p.setProperty("password", config.password());
    p.setProperty("connectTimeout", String.valueOf(config.connectionTimeout().toMillis()));
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), p)) {
      c.isValid(1);
    }
  }

  private static HikariConfig hikariConfig(
      MysqlConfig config, String poolName, MeterRegistry metrics) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setUsername(config.user());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hc.setConnectionTimeout(config.connectionTimeout().toMillis());
    // One attempt: the start budget retries (after a probe), not Hikari's own loop.
    hc.setInitializationFailTimeout(1);
    hc.addDataSourceProperty("cachePrepStmts", "true");
    hc.addDataSourceProperty("useServerPrepStmts", "false");
    if (metrics != null) {
      hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    }
    return hc;
  }

  /** Applies {@code classpath:db/migration} to this database (and only this one). */
  public MigrateResult migrate() {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .load()
            .migrate();
    log.info(
        "database migrated: {} migration(s) applied, schema version {}",
        result.migrationsExecuted,
        result.targetSchemaVersion);
    return result;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DSLContext dsl() {
    return dsl;
  }

  /** Which threads are inside a transaction of {@link #dsl()}. */
  public TransactionTracker transactions() {
    return transactions;
  }

  public ReadinessCheck readinessCheck() {
    return ReadinessCheck.of(
        "database",
        () -> {
          try (Connection c = dataSource.getConnection()) {
            return c.isValid(1)
                ? ReadinessCheck.Result.ok("connected")
                : ReadinessCheck.Result.down("connection invalid");
          } catch (SQLException e) {
            return ReadinessCheck.Result.down(e.getMessage());
          }
        });
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
