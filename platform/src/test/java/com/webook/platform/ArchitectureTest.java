package com.webook.platform;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.webook.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The platform's packages form no cycles, and the platform never imports a service. */
class ArchitectureTest {
  private final JavaClasses classes = ArchitectureRules.productionClasses("com.webook.platform");

  @Test
  void packagesAreFreeOfCycles() {
    ArchitectureRules.noPackageCycles("com.webook.platform").check(classes);
  }

  @Test
  void platformNeverImportsAService() {
    ArchitectureRules.platformIsALibrary().check(classes);
  }
}
