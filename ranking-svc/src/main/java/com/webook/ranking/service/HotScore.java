package com.webook.ranking.service;

import java.time.Duration;

/**
 * SPEC §7.1: {@code (likes − 1) / (hours since the article changed + 2)^gravity}. An article with
 * no like scores below zero (it still ranks, below every liked one of its age); an article "from
 * the future" (its utime after the run's start, clocks apart) counts as age 0.
 */
final class HotScore {
  private HotScore() {}

  static double of(long likes, Duration age, double gravity) {
    double hours = Math.max(0, age.toMillis()) / 3_600_000.0;
    return (likes - 1) / Math.pow(hours + 2, gravity);
  }
}
