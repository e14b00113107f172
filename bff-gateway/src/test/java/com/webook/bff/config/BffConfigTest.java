package com.webook.bff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.webook.platform.config.ConfigException;
import com.webook.platform.config.ConfigLoader;
import com.webook.platform.config.WeightedRoundRobinConfig;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * dev.yaml binds with the spec's defaults; bad keys stop the start with a message naming the key.
 */
class BffConfigTest {
  private static BffConfig load(Map<String, String> env) {
    return new ConfigLoader(env).load(BffConfig.class, new String[0]);
  }

  @Test
  void devProfileHasTheSpecsDefaults() {
    BffConfig c = load(Map.of());
    assertThat(c.http().port()).isEqualTo(8080);
    assertThat(c.http().maxRequestBytes()).isEqualTo(1024 * 1024);
    assertThat(c.http().maxArticleRequestBytes())
        .as("1 MiB of content, escaped at worst 6 bytes a byte, + 64 KiB")
        .isEqualTo(6 * 1024 * 1024 + 64 * 1024);
    assertThat(c.articles().countersTimeout()).isEqualTo(Duration.ofMillis(150));
    assertThat(c.articles().degradedLogInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.http().zoneId()).isEqualTo(ZoneOffset.ofHours(8));
    assertThat(c.http().trustForwardedFor()).isFalse();
    assertThat(c.cors().allowLocalhost()).isTrue();
    assertThat(c.cors().maxAge()).isEqualTo(Duration.ofHours(12));
    assertThat(c.jwt().accessTtl()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.jwt().refreshTtl()).isEqualTo(Duration.ofDays(7));
    assertThat(c.jwt().usesDevKeys()).as("dev keys are recognisable, so start-up warns").isTrue();
    assertThat(c.wechat().stateTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.rateLimit().limit()).isEqualTo(100);
    assertThat(c.rateLimit().window()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.rateLimit().allowOnError()).isTrue();
    assertThat(c.accessLog().bodies()).isFalse();
    assertThat(c.accessLog().maxBodyBytes()).isEqualTo(2048);
    assertThat(c.clients()).containsKey("user");
    assertThat(c.clients().get("user").hedgingDelay()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.clients().get("user").balancer().groupFallback())
        .isEqualTo(WeightedRoundRobinConfig.GroupFallback.UNGROUPED);
    assertThat(c.clients().get("article").idempotentMethods())
        .as("reads only: writes are never retried")
        .containsExactlyInAnyOrder(
            "article.v1.ArticleService/GetById",
            "article.v1.ArticleService/GetPublishedById",
            "article.v1.ArticleService/List",
            "article.v1.ArticleService/ListPub");
    assertThat(c.clients().get("article").methodDeadlines())
        .containsEntry("Save", Duration.ofSeconds(3))
        .containsEntry("Publish", Duration.ofSeconds(3));
    assertThat(c.clients().get("article").deadline())
        .as("from the template")
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(c.clients().get("interactive").idempotentMethods())
        .as("the reads, hedged")
        .containsExactlyInAnyOrder(
            "intr.v1.InteractiveService/Get", "intr.v1.InteractiveService/GetByIds");
    assertThat(c.clients().get("interactive").retriedWrites())
        .as("the writes interactive-svc makes idempotent: retried, never hedged")
        .containsExactlyInAnyOrder(
            "intr.v1.InteractiveService/Like",
            "intr.v1.InteractiveService/CancelLike",
            "intr.v1.InteractiveService/Collect");
    assertThat(c.clients().get("interactive").hedgingDelay())
        .as("the template's hedge, for the reads")
        .isEqualTo(Duration.ofMillis(50));
    assertThat(c.ranking().refreshAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.ranking().degradedLogInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.clients().get("ranking").idempotentMethods())
        .containsExactly("ranking.v1.RankingService/TopN");
    assertThat(c.clients().get("ranking").requiredForReadiness())
        .as("the hot list degrades to its last copy: ranking-svc must not make the BFF unready")
        .isFalse();
    assertThat(c.clients().get("interactive").requiredForReadiness()).isTrue();
    assertThat(c.jwt().toString())
        .doesNotContain(c.jwt().accessKey())
        .doesNotContain(c.jwt().refreshKey());
  }

  @Test
  void keysComeFromTheEnvironment() {
    BffConfig c =
        load(
            Map.of(
                "WEBOOK_JWT_ACCESS_KEY",
                "a".repeat(32),
                "WEBOOK_JWT_REFRESH_KEY",
                "r".repeat(32),
                "WEBOOK_WECHAT_STATE_KEY",
                "s".repeat(32)));
    assertThat(c.jwt().accessKey()).isEqualTo("a".repeat(32));
    assertThat(c.jwt().usesDevKeys()).isFalse();
    assertThat(c.wechat().usesDevKey()).isFalse();
  }

  static Stream<Arguments> invalid() {
    String k = "k".repeat(40);
    return Stream.of(
        Arguments.of(
            "equal keys",
            Map.of("WEBOOK_JWT_ACCESS_KEY", k, "WEBOOK_JWT_REFRESH_KEY", k),
            "jwt.refreshKey: must differ from accessKey"),
        Arguments.of(
            "short access key",
            Map.of("WEBOOK_JWT_ACCESS_KEY", "short"),
            "jwt.accessKey: must be at least 32 bytes long"),
        Arguments.of(
            "short refresh key",
            Map.of("WEBOOK_JWT_REFRESH_KEY", "x".repeat(31)),
            "jwt.refreshKey: must be at least 32 bytes long"),
        Arguments.of(
            "state key reused",
            Map.of("WEBOOK_WECHAT_STATE_KEY", k, "WEBOOK_JWT_ACCESS_KEY", k),
            "wechat.stateKey: must differ"),
        Arguments.of("bad zone", Map.of("WEBOOK_HTTP_ZONE", "Mars/Olympus"), "http.zone"),
        Arguments.of("zero limit", Map.of("WEBOOK_RATE_LIMIT_LIMIT", "0"), "rateLimit.limit"),
        Arguments.of(
            "article cap below the general one",
            Map.of("WEBOOK_HTTP_MAX_ARTICLE_REQUEST_BYTES", "1000"),
            "http.maxArticleRequestBytes: must be at least maxRequestBytes"),
        Arguments.of(
            "no counters budget",
            Map.of("WEBOOK_ARTICLES_COUNTERS_TIMEOUT", "0s"),
            "articles.countersTimeout"),
        Arguments.of(
            "no hot list refresh interval",
            Map.of("WEBOOK_RANKING_REFRESH_AFTER", "0s"),
            "ranking.refreshAfter"),
        Arguments.of(
            "bad group fallback",
            Map.of("WEBOOK_CLIENTS_USER_BALANCER_GROUP_FALLBACK", "anywhere"),
            "clients.user.balancer.groupFallback"),
        Arguments.of(
            "bad allowed domain",
            Map.of("WEBOOK_CORS_ALLOWED_DOMAINS", "https://webook.com"),
            "cors.allowedDomains"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusesInvalidConfig(String name, Map<String, String> env, String message) {
    assertThatThrownBy(() -> load(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
