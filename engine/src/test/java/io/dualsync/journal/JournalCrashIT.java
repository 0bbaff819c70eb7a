package io.dualsync.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.dualsync.journal.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 of a process appending to the journal: every acknowledged event is there afterwards. */
class JournalCrashIT {
    private static final int EVENTS = 10_000;

    @TempDir
    Path tmp;

    @Test
    void kill9_whileAppending_losesNoAcknowledgedEvent() throws Exception {
        Path dir = tmp.resolve("journal");
        Path stderr = tmp.resolve("writer.err");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The Chronicle flags this JVM got from dualsync.jvm.flags (surefire/failsafe argLine).
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dchronicle."))
                .forEach(cmd::add);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalCrashWriter.class.getName(),
                dir.toString(), Integer.toString(EVENTS), "20", "10"));
        Process writer = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();

        Map<Integer, Long> acks = new ConcurrentSkipListMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread lines = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String[] f = line.split(" ");
                    if (f.length == 3 && f[0].equals("ack")) { // a line cut by the kill is not an acknowledgement
                        acks.put(Integer.parseInt(f[1]), Long.parseLong(f[2]));
                    } else if (line.equals("done")) {
                        done.set(true);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer-stdout");
        lines.start();

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> acks.size() >= 500 || !writer.isAlive());
        writer.destroyForcibly(); // SIGKILL
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        lines.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(done).as("the writer was killed before it finished; its stderr: %s", Files.readString(stderr)).isFalse();
        assertThat(acks).hasSizeGreaterThanOrEqualTo(500);

        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, JournalOptions.defaults())) {
            JournalReader reader = journal.reader("check");
            Map<Long, JournalReader.Entry> journaled = new TreeMap<>();
            for (JournalReader.Entry e = reader.next(); e != null; e = reader.next()) {
                journaled.put(e.index(), e);
            }
            acks.forEach((n, index) -> {
                assertThat(journaled).as("acknowledged event %d at index %d", n, index).containsKey(index);
                assertThat(journaled.get(index).event()).isEqualTo(event(n));
            });
            int lastAcked = ((ConcurrentSkipListMap<Integer, Long>) acks).lastKey();
            assertThat(journaled.values().stream().map(e -> e.event().eventId()).collect(Collectors.toList()))
                    .as("the journal holds the events in the order they were appended, none twice, none missing")
                    .isEqualTo(IntStream.range(0, journaled.size()).mapToObj(n -> "e-" + n).collect(Collectors.toList()))
                    .hasSizeGreaterThan(lastAcked);

            long after = journal.append(event(EVENTS)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            JournalReader.Entry next = reader.next();
            assertThat(next.index()).as("appends go on after the crash").isEqualTo(after);
            assertThat(next.event()).isEqualTo(event(EVENTS));
        }
    }
}
