package io.dualsync.mapping.dualwrite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.MapJson;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DualWriteImporterTest {
    private static final Path FIXTURES = Path.of("src/test/resources/dualwrite");
    private static SchemaSet schemas;

    @BeforeAll
    static void loadSchemas() {
        schemas = SchemaLoader.builtIn();
    }

    @Test
    void customersTableImportsToTheHandWrittenMap() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(customersTable(), schemas, "customers");

        assertThat(result.errors()).as(render(result.diagnostics())).isEmpty();
        assertThat(result.diagnostics()).as(render(result.diagnostics())).isEmpty();
        assertThat(result.text()).startsWith("# Imported by dualsync from the dual-write map \"Customers V3 to accounts\" (CustomersV3-accounts.md)");
        assertThat(comparable(compile("imported.map", result.text()))).isEqualTo(comparable(handWritten()));
    }

    @Test
    void customersJsonImportsToTheHandWrittenMap() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(fixture("customers-v3-accounts.dualwrite.json"), schemas, "customers");

        assertThat(result.diagnostics()).as(render(result.diagnostics())).isEmpty();
        assertThat(comparable(compile("imported.map", result.text()))).isEqualTo(comparable(handWritten()));
    }

    @Test
    void derivesTheMapNameFromTheFoEntity() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(customersTable(), schemas, null);

        assertThat(result.text()).contains("\nmap customers\n");
    }

    @Test
    void vendorsTableImportsIntoAMapThatCompiles() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(fixture("VendorsV2-msdyn-vendors.md"), schemas, null);

        assertThat(result.errors()).as(render(result.diagnostics())).isEmpty();
        MapCompiler.Result compiled = MapCompiler.compile("vendors.map", result.text(), schemas);
        assertThat(compiled.errors()).as(render(compiled.diagnostics()) + "\n" + result.text()).isEmpty();
        CompiledMap map = compiled.maps().get(0);
        assertThat(map.name()).isEqualTo("vendors");
        assertThat(map.foEntity()).isEqualTo("VendorsV2");
        assertThat(map.dataverseTable()).isEqualTo("msdyn_vendors");
        assertThat(map.foKey()).containsExactly("dataAreaId", "VendorAccountNumber");
        assertThat(map.dataverseKey()).containsExactly("msdyn_company.cdm_companycode", "msdyn_vendoraccountnumber");
        assertThat(result.text()).contains("PersonMaritalStatus", "values { None = 192350000, Single = 1, Married = 2, Divorced = 3, Widowhood = 4 }");
        assertThat(result.text()).contains("IsForeignEntity", "values { No = false, Yes = true }");
        assertThat(result.text()).containsPattern("AddressLatitude +-> +msdyn_addresslatitude\n");
    }

    @Test
    void customerGroupsTableImportsIntoAMapThatCompiles() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(fixture("CustCustomerGroup-msdyn-customergroups.md"), schemas, null);

        assertThat(result.diagnostics()).as(render(result.diagnostics())).isEmpty();
        MapCompiler.Result compiled = MapCompiler.compile("customergroups.map", result.text(), schemas);
        assertThat(compiled.errors()).as(render(compiled.diagnostics()) + "\n" + result.text()).isEmpty();
        CompiledMap map = compiled.maps().get(0);
        assertThat(map.name()).isEqualTo("customergroups");
        assertThat(map.foEntity()).isEqualTo("CustomerGroups");
        assertThat(map.dataverseTable()).isEqualTo("msdyn_customergroups");
        assertThat(map.fields()).anySatisfy(f -> {
            assertThat(f.foField()).isEqualTo("IsSalesTaxIncludedInPrice");
            assertThat(f.valueMap()).hasSize(2);
        });
    }

    @Test
    void unknownMapTypeIsReportedAndTheRestConverts() throws IOException {
        String text = customersTable().text().replace("SALESMEMO | = |", "SALESMEMO | <> |");
        int line = lineOf(text, "SALESMEMO");
        DualWriteImporter.Result result = DualWriteImporter.importMap(new SourceFile("bad.md", text), schemas, "customers");

        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.code()).isEqualTo("E402");
        assertThat(d.isError()).isTrue();
        assertThat(d.span().line()).isEqualTo(line);
        assertThat(d.span().column()).isEqualTo("SALESMEMO | ".length() + 1);
        assertThat(d.span().text()).isEqualTo("<>");
        assertThat(result.text()).contains("# NOT IMPORTED (bad.md line " + line + ", unknown map type `<>`): SALESMEMO | <> | description |");
        List<String> fields = compile("imported.map", result.text()).fields().stream().map(f -> f.foField()).toList();
        assertThat(fields).hasSize(60).contains("CustomerAccount", "ContactPersonId").doesNotContain("SalesMemo");
    }

    @Test
    void unknownTransformTypeAndDirectionAreReportedAndTheRestConverts() throws IOException {
        String json = fixture("customers-v3-accounts.dualwrite.json").text()
                .replace("\"destinationField\": \"description\"",
                        "\"destinationField\": \"description\", \"valueTransforms\": [ { \"transformType\": \"Concatenate\", \"separator\": \"-\" } ]")
                .replaceFirst("\"syncDirection\": 3,(\\s*\"sourceField\": \"CREDITRATING\")", "\"syncDirection\": 4,$1");
        DualWriteImporter.Result result = DualWriteImporter.importMap(new SourceFile("bad.json", json), schemas, null);

        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("E402", "E402", "E402");
        Diagnostic direction = result.diagnostics().get(2);
        assertThat(direction.span().line()).isEqualTo(lineOf(json, "\"syncDirection\": 4"));
        assertThat(direction.span().text()).isEqualTo("4");
        assertThat(direction.message()).contains("syncDirection `4`");
        Diagnostic transform = result.diagnostics().get(0);
        assertThat(transform.span().line()).isEqualTo(lineOf(json, "Concatenate"));
        assertThat(transform.message()).contains("transformType `Concatenate`");
        assertThat(transform.span().text()).isEqualTo("\"Concatenate\"");
        Diagnostic property = result.diagnostics().get(1);
        assertThat(property.span().line()).isEqualTo(lineOf(json, "Concatenate"));
        assertThat(property.span().text()).isEqualTo("\"separator\"");

        assertThat(result.text()).contains("FIXME: not imported: transform Concatenate",
                "NOT IMPORTED (bad.json line " + lineOf(json, "\"syncDirection\": 4") + ", unknown syncDirection 4): CREDITRATING | msdyn_creditrating");
        CompiledMap map = compile("imported.map", result.text());
        assertThat(map.name()).isEqualTo("customers");
        assertThat(map.fields()).hasSize(60).anySatisfy(f -> assertThat(f.foField()).isEqualTo("SalesMemo"))
                .noneSatisfy(f -> assertThat(f.foField()).isEqualTo("CreditRating"));
    }

    @Test
    void valueMapKeysAndValuesAreTypedFromTheSchemas() {
        String json = """
                { "sourceSchema": "CustomersV3", "destinationSchema": "accounts", "fieldMappings": [
                  { "syncDirection": 3, "sourceField": "CUSTOMERACCOUNT", "destinationField": "accountnumber" },
                  { "syncDirection": 3, "sourceField": "ONHOLDSTATUS", "destinationField": "msdyn_onholdstatus",
                    "valueTransforms": [ { "transformType": "ValueMap", "valueMap": { "no": "806380000", "never": null, "bogus": "1" } } ] },
                  { "syncDirection": 3, "sourceField": "ISONETIMECUSTOMER", "destinationField": "msdyn_onetimecustomer",
                    "valueTransforms": [ { "transformType": "ValueMap" } ] }
                ] }
                """;
        DualWriteImporter.Result result = DualWriteImporter.importMap(new SourceFile("leg.json", json), schemas, null);

        assertThat(result.text()).contains("values { No = 806380000, Never = null, bogus = 1 }", "values { No = false, Yes = true }");
        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("W404");
        assertThat(result.diagnostics().get(0).span().text()).isEqualTo("\"bogus\"");
    }

    @Test
    void underivableValueMapIsReported() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(fixture("VendorsV2-msdyn-vendors.md"), schemas, null);

        assertThat(result.diagnostics()).filteredOn(d -> d.code().equals("W403")).singleElement()
                .satisfies(d -> assertThat(d.span().text()).isEqualTo("msdyn_isperson"));
    }

    @Test
    void withoutSchemasTheKeyIsMarkedAndNamesKeptAsWritten() throws IOException {
        DualWriteImporter.Result result = DualWriteImporter.importMap(customersTable(), SchemaSet.empty(), null);

        assertThat(result.text()).contains("fo        CustomersV3 key " + MapTextWriter.UNKNOWN_KEY, "CUSTOMERACCOUNT", "default \"en-us\"");
        assertThat(result.diagnostics()).extracting(Diagnostic::code).contains("W404");
    }

    @Test
    void malformedInputIsReported() {
        DualWriteImporter.Result json = DualWriteImporter.importMap(new SourceFile("x.json", "{ \"legs\": [ }"), schemas, null);
        assertThat(json.text()).isEmpty();
        assertThat(json.diagnostics()).extracting(Diagnostic::code).containsExactly("E401");

        DualWriteImporter.Result md = DualWriteImporter.importMap(new SourceFile("x.md", "# nothing here\n"), schemas, null);
        assertThat(md.text()).isEmpty();
        assertThat(md.diagnostics()).extracting(Diagnostic::code).containsExactly("E401");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static int lineOf(String text, String needle) {
        return new SourceFile("x", text).line(text.indexOf(needle));
    }

    private static SourceFile customersTable() throws IOException {
        for (Path p : List.of(Path.of("../../shared/reference/CustomersV3-accounts.md"),
                Path.of("../shared/reference/CustomersV3-accounts.md"), FIXTURES.resolve("CustomersV3-accounts.md"))) {
            if (Files.isRegularFile(p)) {
                return new SourceFile(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        throw new IllegalStateException("CustomersV3-accounts.md not found");
    }

    private static SourceFile fixture(String name) throws IOException {
        Path p = FIXTURES.resolve(name);
        return new SourceFile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }

    private static CompiledMap handWritten() throws IOException {
        Path p = Path.of("../examples/maps/customers.map");
        return compile(p.toString(), Files.readString(p, StandardCharsets.UTF_8));
    }

    private static CompiledMap compile(String path, String text) {
        MapCompiler.Result r = MapCompiler.compile(path, text, schemas);
        assertThat(r.errors()).as(render(r.diagnostics()) + "\n" + text).isEmpty();
        assertThat(r.maps()).hasSize(1);
        return r.maps().get(0);
    }

    private static ObjectNode comparable(CompiledMap m) {
        ObjectNode o = MapJson.map(m);
        o.remove("file");
        o.remove("line");
        // Dual-write has no business events: the hand-written map's event line has nothing to be imported from.
        o.remove("events");
        return o;
    }

    private static String render(List<Diagnostic> diagnostics) {
        return diagnostics.stream().map(Diagnostic::render).collect(Collectors.joining());
    }
}
