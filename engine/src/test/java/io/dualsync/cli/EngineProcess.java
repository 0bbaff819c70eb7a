package io.dualsync.cli;

import io.dualsync.connector.http.Emulated;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dualsync run --config FILE} as users run it: a child JVM (the Chronicle flags this JVM got
 * from {@code dualsync.jvm.flags}, this JVM's class path), its standard output and error in one log
 * file, its port read from the line {@code run} prints once it listens. Tests start engines through
 * {@link Launcher} (a JUnit extension), which prints the tail of every log when a test fails and kills
 * what is still running after each test. Used from the test thread; the HTTP helpers are thread-safe.
 */
final class EngineProcess {
    private static final Pattern LISTENING = Pattern.compile("dualsync: listening on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final Path log;
    private final int port;

    private EngineProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts engines for one test class and cleans up after each test. */
    static final class Launcher implements AfterEachCallback {
        private final List<Path> logs = new CopyOnWriteArrayList<>();
        private final List<Process> processes = new CopyOnWriteArrayList<>();

        /**
         * Starts {@code dualsync run --config config}, logging to {@code log}, and returns once it listens
         * and says it is ready ({@code /health/ready} 200); fails with the log's tail when it exits first.
         */
        EngineProcess start(Path config, Path log) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // the flags Chronicle needs, as this JVM got them from dualsync.jvm.flags (failsafe argLine)
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle."))
                    .forEach(cmd::add);
            // several JVMs share two cores: keep this one small; C1 only starts it in about half the time
            cmd.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", "--config", config.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            logs.add(log);
            processes.add(p);
            int port = awaitPort(p, log);
            EngineProcess engine = new EngineProcess(p, log, port);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .failFast("the engine exited", () -> !p.isAlive())
                    .untilAsserted(() -> assertThat(engine.get("/health/ready").statusCode()).isEqualTo(200));
            return engine;
        }

        private static int awaitPort(Process p, Path log) {
            int[] port = {-1};
            try {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .failFast("the engine exited before it listened", () -> !p.isAlive())
                        .untilAsserted(() -> {
                            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                            assertThat(m.find()).as("`dualsync: listening on port N` in %s", log).isTrue();
                            port[0] = Integer.parseInt(m.group(1));
                        });
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(e.getMessage() + " (" + exitText(p) + "); its log:\n" + tail(log, 40), e);
            }
            return port[0];
        }

        @Override
        public void afterEach(ExtensionContext context) {
            if (context.getExecutionException().isPresent()) {
                for (Path log : logs) {
                    System.out.println("---- last lines of " + log + " ----");
                    System.out.println(tail(log, 80));
                }
            }
            for (Process p : processes) {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    try {
                        p.waitFor(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            logs.clear();
            processes.clear();
        }
    }

    private static String exitText(Process p) {
        return p.isAlive() ? "still running" : "exit code " + p.exitValue();
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The last {@code lines} lines of the engine's standard output and error. */
    String tail(int lines) {
        return tail(log, lines);
    }

    /** Everything the engine printed so far. */
    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs. Returns once the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the engine is gone after SIGKILL").isTrue();
    }

    /** SIGTERM, as a service manager stops it: does not wait. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    int awaitExit(Duration atMost) throws InterruptedException {
        assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
                .as("the engine exits within %s; its log:%n%s", atMost, tail(40)).isTrue();
        return process.exitValue();
    }

    // ---- HTTP to the engine

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a JSON body with the given headers (name, value, name, value...). */
    HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * POSTs until the engine acknowledges (202), as a durable sender does: connection refused or reset
     * (the engine is down or restarting) and 503 (journal full, shutting down) are tried again after a
     * pause (Retry-After for a 503); any other answer is a test failure. Returns the attempts it took.
     */
    int postUntilAccepted(String path, String body, String... headers) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            long pauseMs;
            try {
                HttpResponse<String> r = post(path, body, headers);
                if (r.statusCode() == 202) {
                    return attempt;
                }
                assertThat(r.statusCode()).as("answer to %s: %s", path, r.body()).isEqualTo(503);
                pauseMs = 1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1"));
            } catch (IOException e) {
                // refused while down, reset or timed out when killed mid-request: the event may or may not
                // be journaled; sending it again is safe (the same event id is dropped downstream). Send
                // again once the engine answers again.
                org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                        .ignoreExceptions().until(() -> get("/health/live").statusCode() == 200);
                continue;
            }
            // the engine asked for this pause (503 Retry-After): a sender's protocol, not a wait for a test condition
            TimeUnit.MILLISECONDS.sleep(pauseMs);
        }
    }

    /** The engine's Prometheus samples of one meter: the labels of each sample (as text) to its value. */
    Map<String, Double> samples(String meter) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Metrics.samples(r.body(), meter);
    }

    /** Parsing of the Prometheus text format (one sample a line: {@code name{a="x",b="y",} value}). */
    static final class Metrics {
        private Metrics() {
        }

        static Map<String, Double> samples(String text, String meter) {
            Map<String, Double> out = new HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith(meter + "{")) {
                    int close = line.lastIndexOf('}');
                    String labels = line.substring(meter.length() + 1, close).replaceAll(",$", "");
                    out.put(labels, Double.parseDouble(line.substring(close + 1).trim()));
                }
            }
            return out;
        }

        /** The sum of the samples whose labels include every {@code label="value"} given. */
        static double sum(Map<String, Double> samples, String... labels) {
            double total = 0;
            for (Map.Entry<String, Double> e : samples.entrySet()) {
                boolean all = true;
                for (String l : labels) {
                    all &= ("," + e.getKey() + ",").contains("," + l + ",");
                }
                if (all) {
                    total += e.getValue();
                }
            }
            return total;
        }
    }

    // ---- configuration

    /**
     * Writes the configuration of an engine between the emulators: the development identity, the
     * example maps, {@code journal} as journal folder, {@code port} (0: any), then {@code extra} lines
     * (dotted keys, so they never repeat a section written here).
     */
    static Path writeConfig(Path file, Emulated emulated, Path journal, int port, String engineUser, String... extra)
            throws IOException {
        String fo = emulated.foUrl();
        String dv = emulated.dataverseUrl();
        Path maps = Path.of("..", "examples", "maps").toAbsolutePath().normalize();
        List<String> lines = new ArrayList<>(List.of(
                "fo:",
                "  baseUrl: " + fo,
                "  tenant: " + Emulated.TENANT,
                "  clientId: " + Emulated.CLIENT_ID,
                "  clientSecret: " + Emulated.SECRET,
                "  tokenHost: " + fo,
                "dataverse:",
                "  baseUrl: " + dv,
                "  tenant: " + Emulated.TENANT,
                "  clientId: " + Emulated.CLIENT_ID,
                "  clientSecret: " + Emulated.SECRET,
                "  tokenHost: " + dv,
                "identity.foUserId: " + engineUser,
                "identity.dataverseUserId: " + engineUser,
                "maps.dir: " + maps,
                "journal.dir: " + journal,
                "server.port: " + port));
        lines.addAll(List.of(extra));
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }
}
