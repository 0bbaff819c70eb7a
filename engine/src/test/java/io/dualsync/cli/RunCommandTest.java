package io.dualsync.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunCommandTest {
    @TempDir
    Path dir;

    @Test
    void badConfig_printsEveryProblem_andExits1() throws Exception {
        Path file = dir.resolve("dualsync.yaml");
        Files.writeString(file, "fo:\n  baseUrl: not-a-url\nserver:\n  prot: 8080\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "run", "--config", file.toString());
        assertThat(code).isEqualTo(Main.INVALID_INPUT);
        assertThat(err.toString()).contains("fo.baseUrl").contains("server.prot");
    }
}
