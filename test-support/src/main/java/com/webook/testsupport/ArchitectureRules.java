package com.webook.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The layering rules of ARCHITECTURE.md as executable checks, shared by every module's {@code
 * ArchitectureTest}: packages form no cycles; business rules ({@code service}, {@code domain})
 * never see gRPC, protobuf, generated contracts or jOOQ; the platform never imports a service. Only
 * production classes are checked.
 */
public final class ArchitectureRules {
  private static final String[] SERVICE_ROOTS = {
    "com.webook.user..",
    "com.webook.article..",
    "com.webook.interactive..",
    "com.webook.ranking..",
    "com.webook.bff.."
  };

  /** Where each service's pom has jOOQ generate its table classes (below the service root). */
  private static final String GENERATED_JOOQ = ".repository.dao.jooq";

  private ArchitectureRules() {}

  /** The production classes under {@code rootPackage} (tests and generated code excluded). */
  public static JavaClasses productionClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(rootPackage);
  }

  /**
   * No two packages under {@code rootPackage} (every package, at every depth, the root itself
   * included) depend on each other, directly or through others.
   */
  public static ArchRule noPackageCycles(String rootPackage) {
    return slices()
        .assignedFrom(new EveryPackage(rootPackage))
        .should()
        .beFreeOfCycles()
        .because("a package cycle means two packages can only be understood together");
  }

  /**
   * One slice per package (not per top-level sub-package, which would hide nested cycles), except
   * jOOQ's generated code ({@code <root>.repository.dao.jooq..}, whose tables and records refer to
   * each other by design): one slice, so a cycle between our code and it is still found.
   */
  private record EveryPackage(String rootPackage) implements SliceAssignment {
    @Override
    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
      String pkg = javaClass.getPackageName();
      if (!pkg.equals(rootPackage) && !pkg.startsWith(rootPackage + ".")) {
        return SliceIdentifier.ignore();
      }
      String generated = rootPackage + GENERATED_JOOQ;
      return pkg.equals(generated) || pkg.startsWith(generated + ".")
          ? SliceIdentifier.of(generated)
          : SliceIdentifier.of(pkg);
    }

    @Override
    public String getDescription() {
      return "every package under " + rootPackage;
    }
  }

  /** Business rules are plain Java: transport, contracts and SQL stay in the exposure layers. */
  public static ArchRule businessRulesStayPlain(String rootPackage) {
    return noClasses()
        .that()
        .resideInAnyPackage(rootPackage + ".service..", rootPackage + ".domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..", "com.google.protobuf..", "com.webook.api..", "org.jooq..")
        .allowEmptyShould(true)
        .because(
            "service/ and domain/ hold the business rules; grpc/, repository/dao/ and events/ adapt"
                + " them to the outside world (ARCHITECTURE.md)");
  }

  /** The platform is a library: it never calls into a service or the BFF. */
  public static ArchRule platformIsALibrary() {
    return noClasses()
        .that()
        .resideInAPackage("com.webook.platform..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(SERVICE_ROOTS)
        .because("platform is a library, not a framework (ARCHITECTURE.md)");
  }

  /** Services never depend on each other's code, only on api-proto and platform. */
  public static ArchRule serviceIsSelfContained(String rootPackage) {
    String own = rootPackage + "..";
    String[] others =
        java.util.Arrays.stream(SERVICE_ROOTS).filter(p -> !p.equals(own)).toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(own)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("services share only api-proto and platform (ARCHITECTURE.md)");
  }

  /** Every rule above that applies to the service or BFF rooted at {@code rootPackage}. */
  public static void checkService(String rootPackage) {
    JavaClasses classes = productionClasses(rootPackage);
    noPackageCycles(rootPackage).check(classes);
    businessRulesStayPlain(rootPackage).check(classes);
    serviceIsSelfContained(rootPackage).check(classes);
  }
}
