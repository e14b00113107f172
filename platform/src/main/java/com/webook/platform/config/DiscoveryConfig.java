package com.webook.platform.config;

import java.time.Duration;

/**
 * Client-side discovery (SPEC §8.2).
 *
 * @param linger how long a service's watch outlives its last subscriber, so a channel that goes
 *     idle and wakes up finds the list cached instead of waiting for etcd
 * @param probeInterval how often etcd is probed (cluster id, revision) to catch outages, wipes and
 *     restores that a watch alone may not report
 * @param maxRemovalShare an update removing more than this share of endpoints at once (or all of
 *     them) triggers self-protection
 * @param protectionGrace how long self-protection holds such removals
 * @param refreshMinInterval {@code refresh()} re-lists from etcd at most this often
 */
public record DiscoveryConfig(
    Duration linger,
    Duration probeInterval,
    double maxRemovalShare,
    Duration protectionGrace,
    Duration refreshMinInterval) {
  public DiscoveryConfig {
    Check.notNegative("linger", linger);
    Check.positive("probeInterval", probeInterval);
    Check.range("maxRemovalShare", maxRemovalShare, 0.0, 1.0);
    Check.notNegative("protectionGrace", protectionGrace);
    Check.notNegative("refreshMinInterval", refreshMinInterval);
  }

  /** The values used when nothing is configured (the SPI-loaded resolver). */
  public static DiscoveryConfig defaults() {
    return new DiscoveryConfig(
        Duration.ofMinutes(2),
        Duration.ofSeconds(5),
        0.5,
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }
}
