package dev.flotilla.packaging;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module boundaries, on the compiled main classes of every module: core is a plain library (no
 * Kubernetes client, no CLI framework, no deep-learning engine), the operator never links the
 * programs it starts, and the aggregator does not depend on the trainer program.
 */
class ModuleBoundariesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.flotilla");
  }

  @Test
  void coreUsesNeitherKubernetesNorPicocliNorDjl() {
    noClasses()
        .that()
        .resideInAPackage("dev.flotilla.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8.kubernetes.client..",
            "io.fabric8.kubernetes.api..",
            "picocli..",
            "ai.djl..",
            "dev.flotilla.operator..",
            "dev.flotilla.trainer..",
            "dev.flotilla.aggregator..",
            "dev.flotilla.local..")
        .check(classes);
  }

  @Test
  void theOperatorDoesNotLinkTheWorkloadPrograms() {
    noClasses()
        .that()
        .resideInAPackage("dev.flotilla.operator..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.flotilla.trainer..",
            "dev.flotilla.aggregator..",
            "dev.flotilla.model..",
            "dev.flotilla.local..",
            "ai.djl..",
            "picocli..")
        .check(classes);
  }

  @Test
  void theAggregatorDoesNotDependOnTheTrainerProgram() {
    noClasses()
        .that()
        .resideInAPackage("dev.flotilla.aggregator..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.flotilla.trainer..")
        .check(classes);
  }

  @Test
  void theLocalRuntimeStartsTheProgramsButDoesNotCallThem() {
    noClasses()
        .that()
        .resideInAPackage("dev.flotilla.local..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.flotilla.trainer..", "dev.flotilla.aggregator..")
        .check(classes);
  }
}
