package com.webook.user.config;

import com.webook.platform.config.Check;

/**
 * Account rules (config key {@code user}).
 *
 * @param bcryptCost bcrypt work factor for stored password hashes (SPEC §4.2: 10). Each step
 *     doubles the time of a signup and of every login; 4 is bcrypt's minimum and only fit for
 *     tests.
 */
public record AccountConfig(int bcryptCost) {
  public AccountConfig {
    Check.range("bcryptCost", bcryptCost, 4, 16);
  }
}
