package io.dualsync.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded jar as users run it: a separate JVM, `java -jar`, real exit codes. */
class LauncherIT {
    private static final Path JAR = Path.of("target", "dualsync.jar");

    record Outcome(int code, String out, String err) {
    }

    static Outcome java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void shadedJar_checksTheExamples() throws Exception {
        Outcome o = java("check", "../examples/maps");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("0 errors");
    }

    @Test
    void shadedJar_exitCodes() throws Exception {
        assertThat(java("--help").code()).isZero();
        assertThat(java("no-such-command").code()).isEqualTo(2);
        assertThat(java("check", "src/test/resources/broken.map").code()).isEqualTo(1);
    }

    @Test
    void shadedJar_importsMicrosoftsPublishedTable() throws Exception {
        Outcome o = java("import-dualwrite", "../mapping-dsl/src/test/resources/dualwrite/CustomersV3-accounts.md");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("map ", "fo        CustomersV3 key dataAreaId, CustomerAccount");
    }
}
