package com.webook.bff.config;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * The article routes (SPEC §2.4).
 *
 * @param countersTimeout the reader view ({@code GET /articles/pub/{id}}) waits this long at most
 *     for interactive-svc's counters, which is also that call's deadline; later, failing or
 *     unavailable counters make the article go out with zero counts (SPEC §9 degradation). Keep it
 *     well below the article call's own deadline: it is what a reader pays when interactive-svc
 *     hangs
 * @param degradedLogInterval a degraded answer is counted every time ({@code bff_degraded_total})
 *     but logged at most once per this interval and dependency, with the number of others since
 */
public record ArticlesConfig(Duration countersTimeout, Duration degradedLogInterval) {
  public ArticlesConfig {
    Check.positive("countersTimeout", countersTimeout);
    Check.positive("degradedLogInterval", degradedLogInterval);
  }
}
