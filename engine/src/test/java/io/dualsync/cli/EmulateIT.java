package io.dualsync.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `dualsync emulate` as a separate process: starts, prints its URLs, serves tokens, stops on a signal. */
class EmulateIT {
    private static final Path JAR = Path.of("target", "dualsync.jar");

    private static Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "emulate"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void emulate_printsItsUrls_servesTheDevelopmentIdentity_andStopsCleanly() throws Exception {
        Process p = start("--fo-port", "0", "--dataverse-port", "0", "--seed", "none");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder printed = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                printed.append(line).append('\n');
                if (line.contains("Press Ctrl-C")) {
                    break;
                }
            }
            Matcher m = Pattern.compile("Dataverse emulator: (http://127\\.0\\.0\\.1:\\d+)/api/data/v9\\.2/").matcher(printed);
            assertThat(m.find()).as(printed.toString()).isTrue();
            assertThat(printed).contains("F&O emulator:", "Token endpoints:", "tenant dualsync-dev, client id dualsync-dev");
            String dv = m.group(1);

            HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dv + "/dualsync-dev/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=dualsync-dev"
                            + "&client_secret=dualsync-dev-secret&scope=" + dv + "/.default")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(token.body()).contains("\"access_token\"", "\"expires_in\":3599");
        } finally {
            p.destroy(); // SIGTERM, as a service manager stops it; Ctrl-C runs the same shutdown hook
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stops within a minute").isTrue();
    }

    @Test
    void emulate_onAPortInUse_exits1WithAMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(),
                    "emulate", "--fo-port", String.valueOf(taken.getLocalPort()), "--dataverse-port", "0").redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("could not start");
        }
    }
}
