package com.webook.platform.config;

import java.time.Duration;

/**
 * A MySQL-compatible database reached through HikariCP.
 *
 * @param url server JDBC URL without the database, e.g. {@code jdbc:mariadb://127.0.0.1:13316/}
 *     (the same meaning as the {@code WEBOOK_MYSQL_URL} the tests use)
 * @param database the service's own database, e.g. {@code webook_user}
 * @param user user name
 * @param password password (from env or a file in production)
 * @param maxPoolSize Hikari maximum pool size
 * @param connectionTimeout how long a caller waits for a pooled connection
 */
public record MysqlConfig(
    String url,
    String database,
    String user,
    String password,
    int maxPoolSize,
    Duration connectionTimeout) {
  public MysqlConfig {
    Check.notBlank("url", url);
    if (!url.startsWith("jdbc:mariadb:") && !url.startsWith("jdbc:mysql:")) {
      throw new IllegalArgumentException(
          "url: '" + url + "' must be a jdbc:mariadb: or jdbc:mysql: URL");
    }
    Check.notBlank("database", database);
    if (!database.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException(
          "database: '" + database + "' must match [A-Za-z0-9_]{1,64}");
    }
    Check.notBlank("user", user);
    password = password == null ? "" : password;
    Check.range("maxPoolSize", maxPoolSize, 1, 500);
    Check.positive("connectionTimeout", connectionTimeout);
  }

  /** The JDBC URL of {@link #database()} on the server of {@link #url()}. */
  public String jdbcUrl() {
    return withDatabase(url, database);
  }

  /** Puts {@code database} as the path of a server URL, keeping its query parameters. */
  public static String withDatabase(String serverUrl, String database) {
    int q = serverUrl.indexOf('?');
    String base = q < 0 ? serverUrl : serverUrl.substring(0, q);
    String query = q < 0 ? "" : serverUrl.substring(q);
    int hostStart = base.indexOf("//") + 2;
    int slash = base.indexOf('/', hostStart);
    String hostPart = slash < 0 ? base : base.substring(0, slash);
    return hostPart + "/" + database + query;
  }
}
