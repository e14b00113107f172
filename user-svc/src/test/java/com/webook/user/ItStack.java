package com.webook.user;

import com.webook.platform.config.ConfigLoader;
import com.webook.platform.config.MysqlConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.db.Database;
import com.webook.platform.redis.Redis;
import com.webook.testsupport.TestDatabase;
import com.webook.testsupport.TestStack;
import com.webook.user.config.UserConfig;
import java.time.Duration;
import java.util.Map;

/**
 * What user-svc's in-process integration tests share: their own migrated database on the local
 * stack's MariaDB, a Redis connection, and the dev profile's config. Close it in @AfterAll.
 */
public final class ItStack implements AutoCloseable {
  private final TestDatabase testDatabase;
  private final Database database;
  private final Redis redis;

  public ItStack(String prefix) {
    testDatabase = TestStack.newDatabase(prefix);
    database =
        Database.connect(
            new MysqlConfig(
                TestStack.mysqlServerUrl(),
                testDatabase.name(),
                TestStack.mysqlUser(),
                TestStack.mysqlPassword(),
                8,
                Duration.ofSeconds(5)),
            prefix,
            null);
    database.migrate();
    redis = Redis.connect(new RedisConfig(TestStack.redisUrl(), Duration.ofSeconds(2)), null);
  }

  /** The dev profile, as the service would load it without overrides. */
  public static UserConfig devConfig() {
    return new ConfigLoader(Map.of()).load(UserConfig.class, new String[0]);
  }

  public Database database() {
    return database;
  }

  public Redis redis() {
    return redis;
  }

  @Override
  public void close() {
    redis.close();
    database.close();
    testDatabase.close();
  }
}
