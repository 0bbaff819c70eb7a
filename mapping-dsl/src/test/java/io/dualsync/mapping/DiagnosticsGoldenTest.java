package io.dualsync.mapping;

import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden tests: each {@code diagnostics/NAME.map} is checked and its rendered diagnostics must
 * equal {@code NAME.expected} byte for byte. Run with {@code -Dgolden.update=true} to rewrite the
 * expected files after a deliberate change, then review the diff.
 */
class DiagnosticsGoldenTest {
    private static final Path DIR = Path.of("src", "test", "resources", "diagnostics");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"syntax", "structure", "schema"})
    void diagnostics_matchGoldenFile(String name) throws IOException {
        Path map = DIR.resolve(name + ".map");
        SchemaSet schemas = name.equals("schema") ? TestMaps.exampleSchemas() : SchemaSet.empty();
        MapCompiler.Result result = MapCompiler.compile(java.util.List.of(
                new SourceFile("diagnostics/" + name + ".map", Files.readString(map, StandardCharsets.UTF_8))), schemas);
        StringBuilder actual = new StringBuilder();
        result.diagnostics().forEach(d -> actual.append(d.render()));

        Path expected = DIR.resolve(name + ".expected");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual.toString(), StandardCharsets.UTF_8);
        }
        assertThat(result.ok()).isFalse();
        assertThat(actual.toString()).isEqualTo(Files.readString(expected, StandardCharsets.UTF_8));
    }
}
