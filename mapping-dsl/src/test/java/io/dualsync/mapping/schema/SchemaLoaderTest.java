package io.dualsync.mapping.schema;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaLoaderTest {

    @Test
    void builtIn_listsEveryShippedSchema() throws IOException {
        List<String> shipped;
        try (Stream<Path> s = Files.list(Path.of("..", "examples", "maps", "schemas"))) {
            shipped = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SchemaLoader.SUFFIX))
                    .map(n -> n.substring(0, n.length() - SchemaLoader.SUFFIX.length())).sorted().toList();
        }
        assertThat(Arrays.stream(SchemaLoader.BUILT_IN).sorted().toList()).isEqualTo(shipped);
        SchemaSet set = SchemaLoader.builtIn();
        assertThat(set.get(Side.FO, "CustomersV3").keys()).containsExactly(List.of("dataAreaId", "CustomerAccount"));
        assertThat(set.get(Side.DATAVERSE, "accounts").field("msdyn_customergroupid").target()).isEqualTo("msdyn_customergroups");
        assertThat(set.find(Side.FO, "Customers V3")).isNotNull();
    }

    @Test
    void invalidSchema_isReportedWithItsLocation() {
        List<Diagnostic> problems = new ArrayList<>();
        EntitySchema s = SchemaLoader.load(new SourceFile("bad.schema.json", """
                {
                  "system": "crm",
                  "entitySet": "accounts",
                  "keys": [["accountnumber"]],
                  "fields": {
                    "name": { "type": "text" }
                  }
                }
                """), problems);
        assertThat(s).isNull();
        assertThat(problems).extracting(d -> d.span().location() + " " + d.message()).containsExactly(
                "bad.schema.json:2:3 `system` must be \"fo\" or \"dataverse\"",
                "bad.schema.json:6:5 field `name` has unknown type \"text\"; use one of string, integer, decimal, boolean, date, datetime, guid, enum, choice, lookup",
                "bad.schema.json:4:3 key field `accountnumber` is not in `fields`");
    }

    @Test
    void malformedJson_pointsAtTheBrokenSpot() {
        List<Diagnostic> problems = new ArrayList<>();
        SchemaLoader.load(new SourceFile("broken.schema.json", "{\n  \"system\": \"fo\",\n  \"fields\": {,}\n}\n"), problems);
        assertThat(problems).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E208");
            assertThat(d.span().line()).isEqualTo(3);
        });
    }
}
