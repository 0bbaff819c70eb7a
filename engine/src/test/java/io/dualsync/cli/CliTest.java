package io.dualsync.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user drives it: exit codes, messages, and what lands on disk. */
class CliTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "maps");

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void help_listsEveryCommandWithALine() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("check ", "fmt ", "import-dualwrite ", "emulate ").contains("Exit codes: 0 ok, 1 invalid input, 2 usage error.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"check", "fmt", "import-dualwrite", "emulate"})
    void everyCommand_hasHelp(String command) {
        Run r = run(command, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: dualsync " + command);
    }

    @Test
    void noCommandOrUnknownOption_isAUsageError() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("check", "--bogus", "x").code()).isEqualTo(2);
        Run missing = run("check", "no/such/folder");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no/such/folder: no such file or folder");
    }

    @Test
    void check_examples_passes() {
        Run r = run("check", EXAMPLES.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("ok: ").contains("0 errors");
    }

    @Test
    void check_brokenFile_printsLocatedDiagnosticsAndExits1(@TempDir Path dir) throws IOException {
        Path map = dir.resolve("broken.map");
        Files.writeString(map, """
                map customers
                  fo CustomersV3 key dataAreaId, CustomerAccount
                  dataverse accounts key msdyn_company.cdm_companycode, accountnumber
                  company dataAreaId <-> msdyn_company.cdm_companycode
                  CustomerAccount <-> acountnumber
                  CustomerGroupId <-> msdyn_customergroupid.msdyn_groupid
                  SalesCurrencyCode <-> transactioncurrencyid.isocurrencycode
                  OrganizationName <-> name
                """);
        Run r = run("check", "--schema", EXAMPLES.resolve("schemas").toString(), map.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(map + ":5:23: error[E201]: unknown Dataverse field `acountnumber` in accounts")
                .contains("= hint: did you mean `accountnumber`?")
                .contains("failed: 1 map file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void checkJson_printsTheCompiledMaps() {
        Run r = run("check", "--json", EXAMPLES.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"name\" : \"customers\"", "\"entity\" : \"CustomersV3\"", "\"table\" : \"accounts\"",
                "\"direction\" : \"fo-to-dataverse\"", "\"fo\" : \"PartyType == \\\"Organization\\\"\"");
    }

    @Test
    void fmt_rewritesAndCheckReportsWhatWouldChange(@TempDir Path dir) throws IOException {
        Path map = dir.resolve("m.map");
        Files.writeString(map, "map m\nfo E key Id\ndataverse t key id\nId<->id # the key\n");
        Run check = run("fmt", "--check", dir.toString());
        assertThat(check.code()).isEqualTo(1);
        assertThat(check.out()).contains(map.toString());
        assertThat(Files.readString(map)).startsWith("map m\nfo E");

        assertThat(run("fmt", map.toString()).code()).isZero();
        assertThat(Files.readString(map)).isEqualTo("map m\n  fo        E key Id\n  dataverse t key id\n  Id <-> id  # the key\n");
        assertThat(run("fmt", "--check", dir.toString()).code()).isZero();
    }

    @Test
    void fmt_leavesFilesWithSyntaxErrorsAlone(@TempDir Path dir) throws IOException {
        Path map = dir.resolve("bad.map");
        Files.writeString(map, "map m\n  A = b\n");
        Run r = run("fmt", map.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("bad.map:2:5: error[E003]");
        assertThat(Files.readString(map)).isEqualTo("map m\n  A = b\n");
    }

    @Test
    void importDualWrite_json_givesAMapThatChecksWithTheSourceFieldsAndDirections(@TempDir Path dir) throws IOException {
        Path source = Path.of("..", "mapping-dsl", "src", "test", "resources", "dualwrite", "customers-v3-accounts.dualwrite.json");
        Path out = dir.resolve("customers.map");
        Run imported = run("import-dualwrite", source.toString(), "-o", out.toString(), "--name", "customers");
        assertThat(imported.code()).as(imported.err()).isZero();

        Run checked = run("check", "--json", out.toString(), "--schema", EXAMPLES.resolve("schemas").toString());
        assertThat(checked.code()).as(checked.err()).isZero();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        var fields = json.readTree(checked.out()).path("maps").get(0).path("fields");
        var mappings = json.readTree(source.toFile()).path("legs").get(0).path("fieldMappings");
        assertThat(fields.size()).isEqualTo(mappings.size());
        for (int i = 0; i < mappings.size(); i++) {
            var m = mappings.get(i);
            String expected = switch (m.path("syncDirection").asInt()) {
                case 1 -> "fo-to-dataverse";
                case 2 -> "dataverse-to-fo";
                default -> "both";
            };
            assertThat(fields.get(i).path("direction").asText()).as("row %d", i).isEqualTo(expected);
            String dv = m.path("destinationField").isNull() ? null : m.path("destinationField").asText();
            assertThat(fields.get(i).path("dataverse").isNull() ? null : fields.get(i).path("dataverse").asText()).isEqualTo(dv);
            String fo = m.path("sourceField").isNull() ? null : m.path("sourceField").asText();
            String foOut = fields.get(i).path("fo").isNull() ? null : fields.get(i).path("fo").asText();
            assertThat(foOut == null ? null : foOut.toUpperCase(java.util.Locale.ROOT)).isEqualTo(fo);
        }
    }
}
