package io.dualsync.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dualsync demo} in-process on free ports: it drives changes, reports progress and ends with both sides equal. */
class DemoIT {
    @Test
    void demo_drivesBothSides_reportsProgress_andComparesBothSidesAtTheEnd() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "demo", "--duration", "8s", "--rate", "10", "--engine-port", "0", "--fo-port", "0", "--dataverse-port", "0");
        String text = out.toString();

        // The exit code is the comparison's verdict: creates, updates, deletes and concurrent edits on
        // both sides all converge.
        assertThat(code).as(text + "\n" + err).isZero();
        assertThat(text).contains("/metrics");
        List<String> progress = text.lines().filter(l -> l.contains("driven fo=")).toList();
        assertThat(progress).as(text).hasSizeGreaterThanOrEqualTo(5);
        assertThat(progress.get(progress.size() - 1)).as("changes were driven on both sides")
                .doesNotContain("driven fo=0 ").doesNotContain("dv=0 |");
        assertThat(text).containsPattern("both sides equal: \\d+ records");
    }
}
