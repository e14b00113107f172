package com.webook.ranking.service;

import com.webook.platform.config.Check;
import java.time.Duration;

/**
 * How the hot list is computed (config key {@code hotList}, SPEC §7.1).
 *
 * @param size how many articles the list keeps (N)
 * @param batchSize articles per ListPub page and per GetByIds call
 * @param window only articles changed within this long before the run are ranked
 * @param gravity the exponent of the age in the score
 */
public record HotListRules(int size, int batchSize, Duration window, double gravity) {
  public HotListRules {
    Check.range("size", size, 1, 1000);
    Check.range("batchSize", batchSize, 1, 1000);
    Check.positive("window", window);
    Check.range("gravity", gravity, 0.1, 10);
  }
}
