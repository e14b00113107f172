package com.webook.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {
  record TestConfig(GrpcServerConfig grpc, EtcdConfig etcd, MysqlConfig mysql) {}

  /** Shaped like a service's config: shared sections from the defaults, no discovery. */
  record LayeredConfig(
      GrpcServerConfig grpc,
      RegistryConfig registry,
      MysqlConfig mysql,
      KafkaConfig kafka,
      StartupConfig startup,
      Map<String, GrpcClientConfig> clients) {}

  private static final String[] TEST_PROFILE = {"--profile", "test"};
  private static final String[] LAYERED_PROFILE = {"--profile", "layered"};

  private static LayeredConfig layered(Map<String, String> env, String... extraArgs) {
    String[] args =
        Stream.concat(Stream.of(LAYERED_PROFILE), Stream.of(extraArgs)).toArray(String[]::new);
    return new ConfigLoader(env).load(LayeredConfig.class, args);
  }

  private static TestConfig load(Map<String, String> env, String... args) {
    return new ConfigLoader(env).load(TestConfig.class, args);
  }

  @Test
  void loadsTheProfileYamlIntoRecords() {
    TestConfig c = load(Map.of(), TEST_PROFILE);
    assertThat(c.grpc().port()).isEqualTo(8091);
    assertThat(c.grpc().drainWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.etcd().endpoints()).containsExactly("http://127.0.0.1:12379");
    assertThat(c.mysql().jdbcUrl())
        .isEqualTo("jdbc:mariadb://127.0.0.1:13316/webook_user?useBulkStmts=true");
  }

  @Test
  void profileComesFromTheEnvironmentWhenNotGiven() {
    assertThat(load(Map.of("WEBOOK_PROFILE", "test")).grpc().port()).isEqualTo(8091);
  }

  @Test
  void environmentOverridesScalarsListsAndCamelCaseKeys() {
    TestConfig c =
        load(
            Map.of(
                "WEBOOK_GRPC_PORT", "8191",
                "WEBOOK_GRPC_DRAIN_WINDOW", "750ms",
                "WEBOOK_ETCD_ENDPOINTS", "http://a:1, http://b:2",
                "WEBOOK_MYSQL_DATABASE", "other_db",
                "WEBOOK_MYSQL_PASSWORD", "s3cret"),
            TEST_PROFILE);
    assertThat(c.grpc().port()).isEqualTo(8191);
    assertThat(c.grpc().drainWindow()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.etcd().endpoints()).containsExactly("http://a:1", "http://b:2");
    assertThat(c.mysql().database()).isEqualTo("other_db");
    assertThat(c.mysql().password()).isEqualTo("s3cret");
  }

  @Test
  void configFilesAreMergedInOrderAndEnvWinsOverThem(@TempDir Path dir) throws Exception {
    Path first =
        Files.writeString(dir.resolve("a.yaml"), "grpc:\n  port: 7001\n  shutdownTimeout: 1m\n");
    Path second = Files.writeString(dir.resolve("b.yaml"), "grpc:\n  port: 7002\n");
    TestConfig c =
        load(Map.of(), "--profile", "test", "--config", first.toString(), "--config=" + second);
    assertThat(c.grpc().port()).isEqualTo(7002);
    assertThat(c.grpc().shutdownTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.grpc().advertiseHost())
        .as("untouched keys keep the profile's value")
        .isEqualTo("127.0.0.1");
    assertThat(
            load(
                    Map.of("WEBOOK_GRPC_PORT", "7003"),
                    "--profile",
                    "test",
                    "--config",
                    first.toString())
                .grpc()
                .port())
        .isEqualTo(7003);
  }

  static Stream<Arguments> invalidConfigs() {
    return Stream.of(
        Arguments.of(
            "port out of range",
            Map.of("WEBOOK_GRPC_PORT", "70000"),
            "grpc.port: must be a port between 1 and 65535 (was 70000)"),
        Arguments.of("port not a number", Map.of("WEBOOK_GRPC_PORT", "eighty"), "grpc.port"),
        Arguments.of(
            "duration garbage",
            Map.of("WEBOOK_GRPC_SHUTDOWN_TIMEOUT", "soon"),
            "grpc.shutdownTimeout"),
        Arguments.of(
            "negative duration",
            Map.of("WEBOOK_GRPC_DRAIN_WINDOW", "-PT1S"),
            "grpc.drainWindow: must not be negative"),
        Arguments.of(
            "empty list",
            Map.of("WEBOOK_ETCD_ENDPOINTS", " "),
            "etcd.endpoints: must list at least one value"),
        Arguments.of(
            "bad endpoint scheme",
            Map.of("WEBOOK_ETCD_ENDPOINTS", "127.0.0.1:2379"),
            "etcd.endpoints: '127.0.0.1:2379' must start with http://"),
        Arguments.of(
            "blank required string",
            Map.of("WEBOOK_MYSQL_USER", ""),
            "mysql.user: must not be empty"),
        Arguments.of(
            "database injection", Map.of("WEBOOK_MYSQL_DATABASE", "x`; DROP"), "mysql.database"),
        Arguments.of(
            "wrong url scheme", Map.of("WEBOOK_MYSQL_URL", "jdbc:postgresql://x/"), "mysql.url"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidConfigs")
  void invalidValuesFailNamingTheKey(String name, Map<String, String> env, String expected) {
    assertThatThrownBy(() -> load(env, TEST_PROFILE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void unknownKeysInAConfigFileAreRejectedWithTheirPath(@TempDir Path dir) throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.yaml"), "grpc:\n  prot: 1\n");
    assertThatThrownBy(() -> load(Map.of(), "--profile", "test", "--config", typo.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown config key 'grpc.prot'");
  }

  @Test
  void missingKeysAreRejectedWithTheirPath(@TempDir Path dir) {
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    tree.putObject("grpc").put("port", 1);
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).bind(tree, TestConfig.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("grpc.")
        .hasMessageContaining("is required but missing");
  }

  @Test
  void anExplicitNullSectionIsRejectedWithItsPath(@TempDir Path dir) throws Exception {
    Path nulled = Files.writeString(dir.resolve("null.yaml"), "etcd: ~\n");
    assertThatThrownBy(() -> load(Map.of(), "--profile", "test", "--config", nulled.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("etcd")
        .hasMessageContaining("is required but null");
  }

  @Test
  void unknownProfileAndBadArgumentsAreClear(@TempDir Path dir) {
    assertThatThrownBy(() -> load(Map.of(), "--profile", "nope"))
        .hasMessageContaining("config/nope.yaml");
    assertThatThrownBy(
            () ->
                load(
                    Map.of(),
                    "--profile",
                    "test",
                    "--config",
                    dir.resolve("absent.yaml").toString()))
        .hasMessageContaining("absent.yaml: file not found");
    assertThatThrownBy(() -> load(Map.of(), "--verbose"))
        .hasMessageContaining("unknown argument '--verbose'");
  }

  @Test
  void platformDefaultsFillWhatTheProfileLeavesOutAndTheProfileWins() {
    LayeredConfig c = layered(Map.of());
    assertThat(c.grpc().port()).as("profile only").isEqualTo(8097);
    assertThat(c.grpc().drainWindow()).as("profile over default").isEqualTo(Duration.ofMillis(500));
    assertThat(c.grpc().shutdownTimeout()).as("default only").isEqualTo(Duration.ofSeconds(10));
    assertThat(c.registry().service()).isEqualTo("article");
    assertThat(c.registry().leaseTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.mysql().jdbcUrl()).isEqualTo("jdbc:mariadb://127.0.0.1:13316/webook_article");
    assertThat(c.kafka().producer()).containsEntry("acks", "all");
    assertThat(c.startup().budget()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void environmentOverridesKeysOnlyTheDefaultsDefine() {
    LayeredConfig c =
        layered(
            Map.of(
                "WEBOOK_STARTUP_BUDGET", "5s",
                "WEBOOK_REGISTRY_LEASE_TTL", "3s",
                "WEBOOK_KAFKA_PRODUCER_LINGER_MS", "20",
                "WEBOOK_CLIENTS_RANKING_IDLE_TIMEOUT", "1m",
                "WEBOOK_CLIENTS_USER_DEADLINE", "4s"));
    assertThat(c.startup().budget()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.registry().leaseTtl()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.kafka().producer()).containsEntry("linger.ms", "20");
    assertThat(c.clients().get("ranking").idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.clients().get("user").deadline()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void everyClientStartsFromTheClientTemplate() {
    LayeredConfig c = layered(Map.of());
    assertThat(c.clients()).containsOnlyKeys("user", "ranking");
    GrpcClientConfig user = c.clients().get("user");
    assertThat(user.deadline()).as("the client's own").isEqualTo(Duration.ofSeconds(3));
    assertThat(user.idempotentMethods()).containsExactly("user.v1.UserService/Profile");
    assertThat(user.idleTimeout()).as("from the template").isEqualTo(Duration.ofMinutes(30));
    GrpcClientConfig ranking = c.clients().get("ranking");
    assertThat(ranking.deadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(ranking.idempotentMethods()).isEmpty();
  }

  @Test
  void defaultSectionsARecordLacksAreDroppedButAProcessCannotSetThem(@TempDir Path dir)
      throws Exception {
    // LayeredConfig has no `discovery`: the defaults' section is dropped, not an unknown key.
    assertThat(layered(Map.of()).grpc().port()).isEqualTo(8097);
    Path extra = Files.writeString(dir.resolve("d.yaml"), "discovery:\n  linger: 1m\n");
    assertThatThrownBy(() -> layered(Map.of(), "--config", extra.toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown config key 'discovery'");
  }

  @Test
  void aSharedKeyWithoutADefaultMustBeSetByTheProcess(@TempDir Path dir) throws Exception {
    // test.yaml has no registry section: the defaults' registry has everything but the service.
    record NeedsRegistry(GrpcServerConfig grpc, RegistryConfig registry) {}
    assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(NeedsRegistry.class, TEST_PROFILE))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("registry.service")
        .hasMessageContaining("missing");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("envNames")
  void envNamesFollowThePath(List<String> path, String expected) {
    assertThat(ConfigLoader.envName(path)).isEqualTo(expected);
  }

  static Stream<Arguments> envNames() {
    return Stream.of(
        Arguments.of(List.of("grpc", "port"), "WEBOOK_GRPC_PORT"),
        Arguments.of(List.of("grpc", "drainWindow"), "WEBOOK_GRPC_DRAIN_WINDOW"),
        Arguments.of(List.of("sms", "p99Factor"), "WEBOOK_SMS_P99_FACTOR"),
        Arguments.of(List.of("registry", "leaseTTL"), "WEBOOK_REGISTRY_LEASE_TTL"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("durations")
  void durationsAcceptHumanAndIsoForms(String text, Duration expected) {
    assertThat(DurationDeserializer.parse(text)).isEqualTo(expected);
  }

  static Stream<Arguments> durations() {
    return Stream.of(
        Arguments.of("250ms", Duration.ofMillis(250)),
        Arguments.of("2s", Duration.ofSeconds(2)),
        Arguments.of("10m", Duration.ofMinutes(10)),
        Arguments.of("1h", Duration.ofHours(1)),
        Arguments.of("7d", Duration.ofDays(7)),
        Arguments.of("1500", Duration.ofMillis(1500)),
        Arguments.of("PT0.5S", Duration.ofMillis(500)));
  }
}
