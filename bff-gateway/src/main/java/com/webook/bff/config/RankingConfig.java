package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The hot list route ({@code GET /ranking/topN}, SPEC §2.4). The BFF serves a rendered copy of
 * ranking-svc's list and refreshes it in the background; how TopN itself is called (deadline,
 * hedging) is {@code clients.ranking}.
 *
 * @param refreshAfter a copy older than this is refreshed in the background on the next request,
 *     which (like every other) is answered from the copy at once. ranking-svc computes a new list
 *     once per period (3 min), so a second is fresh enough and costs it one call per second and BFF
 *     instance. A refresh that fails keeps the copy (degraded) and is tried again after this long:
 *     also how often a failing ranking-svc is asked
 * @param degradedLogInterval answers from a copy whose refresh failed are counted every time
 *     ({@code bff_degraded_total{dependency="ranking"}}), logged at most once per this interval;
 *     the same for the system errors answered while there has never been a list
 */
public record RankingConfig(Duration refreshAfter, Duration degradedLogInterval) {
  public RankingConfig {
    Check.positive("refreshAfter", refreshAfter);
    Check.positive("degradedLogInterval", degradedLogInterval);
  }
}
