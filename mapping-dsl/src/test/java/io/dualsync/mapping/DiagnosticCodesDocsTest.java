package io.dualsync.mapping;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The diagnostics table of docs/mapping-language.md lists every code the tools can report, and only those. */
class DiagnosticCodesDocsTest {
    private static final Path DOCS = Path.of("..", "docs", "mapping-language.md");
    private static final Pattern ROW = Pattern.compile("^\\| ([EW]\\d{3}) \\| (.+) \\|(.*)\\|$");

    @Test
    void everyCode_hasARowInTheDiagnosticsTable_withItsDualWriteEquivalent() throws IOException {
        List<String> rows = Files.readAllLines(DOCS).stream().filter(l -> ROW.matcher(l).matches()).toList();

        assertThat(rows.stream().map(r -> r.substring(2, 6)))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(DiagnosticCode.values()).map(DiagnosticCode::code).toList());
        for (String row : rows) {
            Matcher m = ROW.matcher(row);
            assertThat(m.matches()).isTrue();
            DiagnosticCode code = Arrays.stream(DiagnosticCode.values()).filter(c -> c.code().equals(m.group(1))).findFirst().orElseThrow();
            assertThat(m.group(3).trim()).as(code.code()).isEqualTo(code.dualWrite() == null ? "" : code.dualWrite());
        }
    }
}
