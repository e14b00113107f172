package com.webook.platform.db;

import com.webook.platform.config.MysqlConfig;
import com.webook.platform.health.ReadinessCheck;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
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

  private Database(HikariDataSource dataSource) {
    this.dataSource = dataSource;
    this.dsl = DSL.using(dataSource, SQLDialect.MARIADB, new Settings().withExecuteLogging(false));
  }

  /**
   * Opens the pool and fails fast (within the connection timeout) with a clear message when the
   * database cannot be reached.
   */
  public static Database connect(MysqlConfig config, String poolName, MeterRegistry metrics) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName(poolName);
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setUsername(config.user());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    hc.setConnectionTimeout(config.connectionTimeout().toMillis());
    hc.setInitializationFailTimeout(config.connectionTimeout().toMillis());
    hc.addDataSourceProperty("cachePrepStmts", "true");
    hc.addDataSourceProperty("useServerPrepStmts", "false");
    if (metrics != null) {
      hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    }
    try {
      return new Database(new HikariDataSource(hc));
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot connect to database "
              + config.database()
              + " at "
              + config.url()
              + " as "
              + config.user()
              + ": "
              + rootMessage(e),
          e);
    }
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

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
