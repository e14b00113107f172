package com.webook.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database created for one test (see {@link TestStack#newDatabase}); {@link #close()} drops it.
 *
 * @param name database name
 * @param jdbcUrl JDBC URL selecting it
 */
public record TestDatabase(String name, String jdbcUrl) implements AutoCloseable {
  @Override
  public void close() {
    try (Connection c = TestStack.serverConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + name + "`");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test database " + name, e);
    }
  }
}
