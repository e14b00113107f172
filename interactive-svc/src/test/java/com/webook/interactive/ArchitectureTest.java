package com.webook.interactive;

import com.webook.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md's layering for this module: no package cycles, plain business rules, no other
 * service's code.
 */
class ArchitectureTest {
  @Test
  void followsTheHouseLayering() {
    ArchitectureRules.checkService("com.webook.interactive");
  }
}
