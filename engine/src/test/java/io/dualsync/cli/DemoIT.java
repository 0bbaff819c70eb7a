package io.dualsync.cli;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dualsync demo} in-process on free ports: it drives customers and vendors on both sides, reports
 * progress, and ends with both sides equal on every field of examples/maps.
 */
class DemoIT {
    private static final Path EXAMPLES = Path.of("..", "examples", "maps");

    @Test
    void demo_drivesCustomersAndVendorsOnBothSides_andFindsEveryMappedFieldEqualAtTheEnd() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "demo", "--duration", "10s", "--rate", "10", "--engine-port", "0", "--fo-port", "0", "--dataverse-port", "0");
        String text = out.toString();

        // The exit code is the comparison's verdict: creates, updates, deletes and concurrent edits on
        // both sides all converge.
        assertThat(code).as(text + "\n" + err).isZero();
        assertThat(text).contains("/metrics");
        List<String> progress = text.lines().filter(l -> l.contains("driven fo=")).toList();
        assertThat(progress).as(text).hasSizeGreaterThanOrEqualTo(5);
        assertThat(progress.get(progress.size() - 1)).as("changes were driven on both sides")
                .doesNotContain("driven fo=0 ").doesNotContain("dv=0 |");

        // vendors were driven too; updates need a settled vendor, which a loaded machine may not give in 10s
        Matcher vendors = Pattern.compile("vendors: (\\d+) created, (\\d+) updated, (\\d+) deleted").matcher(text);
        assertThat(vendors.find()).as("the driver's summary counts vendor changes\n" + text).isTrue();
        assertThat(Integer.parseInt(vendors.group(1))).as("vendors created\n" + text).isPositive();

        Matcher equal = Pattern.compile("both sides equal: (\\d+) customers, (\\d+) vendors, every mapped field \\((\\d+) fields\\)")
                .matcher(text);
        assertThat(equal.find()).as(text).isTrue();
        assertThat(Integer.parseInt(equal.group(2))).as("vendors compared\n" + text).isPositive();
        assertThat(Integer.parseInt(equal.group(3))).as("fields compared: every field line of examples/maps")
                .isEqualTo(fieldLines(EXAMPLES));
    }

    /** The field lines of the maps in {@code dir}, counted by the mapping compiler. */
    private static int fieldLines(Path dir) throws IOException {
        List<SourceFile> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".map")).sorted().map(MapFiles::read).toList();
        }
        MapCompiler.Result compiled = MapCompiler.compile(files, SchemaSet.empty());
        assertThat(compiled.maps()).extracting(CompiledMap::name).contains("customers", "vendors");
        return compiled.maps().stream().mapToInt(m -> m.fields().size()).sum();
    }
}
