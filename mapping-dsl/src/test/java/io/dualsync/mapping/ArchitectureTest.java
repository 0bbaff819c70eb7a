package io.dualsync.mapping;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Keeps the mapping language a pure library that the engine, the CLI and tools can all embed. */
class ArchitectureTest {
    private static final JavaClasses MAPPING = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dualsync.mapping");

    @Test
    void mappingLanguage_doesNotUseVertx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .because("the mapping language is evaluated inside the engine's pipeline but must stay testable and usable "
                        + "without an event loop")
                .check(MAPPING);
    }

    @Test
    void mappingLanguage_doesNotUseChronicle() {
        noClasses().should().dependOnClassesThat().resideInAPackage("net.openhft..")
                .because("journaling is the engine's concern; maps are pure functions of a record")
                .check(MAPPING);
    }

    @Test
    void mappingLanguage_doesNotDependOnEngineOrEmulators() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dualsync.engine..", "io.dualsync.cli..",
                        "io.dualsync.emulator..", "io.dualsync.ingest..", "io.dualsync.journal..", "io.dualsync.connector..")
                .because("dependencies point from the engine to the language, never back")
                .check(MAPPING);
    }
}
