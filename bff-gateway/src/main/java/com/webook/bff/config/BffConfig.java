package com.webook.bff.config;

import com.webook.platform.config.AdminConfig;
import com.webook.platform.config.DiscoveryConfig;
import com.webook.platform.config.EtcdConfig;
import com.webook.platform.config.GrpcClientConfig;
import com.webook.platform.config.RedisConfig;
import com.webook.platform.config.StartupConfig;
import com.webook.platform.host.ServiceHost;
import java.util.List;
import java.util.Map;

/**
 * bff-gateway configuration: the platform defaults under {@code config/<profile>.yaml}, bound by
 * the platform ConfigLoader. The BFF's own keys are in {@code config/dev.yaml}; the shared ones
 * ({@code etcd}, {@code redis}, {@code discovery}, {@code startup}, the client template) come from
 * the platform. All are described in the module README.
 *
 * @param clients one entry per downstream service ({@code clients.user}, {@code .article}, {@code
 *     .interactive}, {@code .ranking}), keyed like the service's etcd name
 */
public record BffConfig(
    HttpConfig http,
    CorsConfig cors,
    JwtConfig jwt,
    WechatConfig wechat,
    RateLimitConfig rateLimit,
    AccessLogConfig accessLog,
    ArticlesConfig articles,
    RankingConfig ranking,
    AdminConfig admin,
    EtcdConfig etcd,
    StartupConfig startup,
    RedisConfig redis,
    DiscoveryConfig discovery,
    Map<String, GrpcClientConfig> clients)
    implements ServiceHost.Config, ServiceHost.DownstreamConfig {
  /**
   * The services the BFF calls, by etcd name: each needs its {@code clients.<name>} entry. Whether
   * readiness waits for one is that entry's {@code requiredForReadiness} (false for ranking).
   */
  public static final List<String> DOWNSTREAM =
      List.of("user", "article", "interactive", "ranking");

  public BffConfig {
    clients = Map.copyOf(clients);
    for (String service : DOWNSTREAM) {
      if (!clients.containsKey(service)) {
        throw new IllegalArgumentException(
            "clients." + service + ": is required (how to call " + service + "-svc)");
      }
    }
    // One key per purpose: a token signed for one purpose must never verify for another.
    if (wechat.stateKey().equals(jwt.accessKey()) || wechat.stateKey().equals(jwt.refreshKey())) {
      throw new IllegalArgumentException(
          "wechat.stateKey: must differ from jwt.accessKey and jwt.refreshKey");
    }
  }
}
