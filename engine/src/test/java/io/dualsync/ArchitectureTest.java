package io.dualsync;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** How the engine's packages may depend on each other and on the emulators. */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dualsync");

    @Test
    void onlyTheCommandLineStartsEmulators() {
        noClasses().that().resideOutsideOfPackages("io.dualsync.cli..", "io.dualsync.emulator..")
                .should().dependOnClassesThat().resideInAPackage("io.dualsync.emulator..")
                .because("the emulators stand in for Microsoft's services: sync code that shared their code could hide "
                        + "a misreading of the real API in both")
                .check(ENGINE);
    }

    @Test
    void pipelineDecisions_doNotDependOnVertx() {
        noClasses().that().resideInAnyPackage("io.dualsync.dedup..", "io.dualsync.conflict..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .because("dedup and conflict decisions are pure functions, unit-tested without an event loop")
                .allowEmptyShould(true)
                .check(ENGINE);
    }
}
