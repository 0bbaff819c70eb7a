package io.dualsync.emulator;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The emulators stand in for Microsoft's services; they must not share code with what they test. */
class ArchitectureTest {
    private static final JavaClasses EMULATOR = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.dualsync.emulator");

    @Test
    void emulator_sharesNoCodeWithTheEngine() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dualsync.engine..", "io.dualsync.cli..",
                        "io.dualsync.connector..", "io.dualsync.ingest..", "io.dualsync.journal..", "io.dualsync.apply..",
                        "io.dualsync.auth..")
                .because("a misreading of Microsoft's API must not hide in both the connector and the emulator")
                .check(EMULATOR);
    }

    @Test
    void emulator_usesOnlyTheSchemaPartOfTheMappingLanguage() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.dualsync.mapping.syntax..", "io.dualsync.mapping.expr..",
                        "io.dualsync.mapping.transform..", "io.dualsync.mapping.dualwrite..", "io.dualsync.mapping.format..")
                .because("the emulator reads entity schemas, nothing else: its $filter is parsed from the OData conventions, "
                        + "not with the map language's parser")
                .check(EMULATOR);
    }
}
