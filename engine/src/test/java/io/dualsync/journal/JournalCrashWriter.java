package io.dualsync.journal;

import io.vertx.core.Future;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The process {@link JournalCrashIT} kills: appends {@link TestEvents#event events} 0..count-1 in process
 * mode, in bursts, and prints {@code ack <n> <index>} for each append once its future completed.
 * Arguments: journal folder, count, burst size, pause between bursts in milliseconds.
 */
public final class JournalCrashWriter {
    private JournalCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        int burst = Integer.parseInt(args[2]);
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[3]));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        try (ChronicleJournal journal = ChronicleJournal.open(dir, Durability.PROCESS, JournalOptions.defaults())) {
            out.println("open");
            for (int start = 0; start < count; start += burst) {
                Future<Long> last = null;
                for (int n = start; n < Math.min(count, start + burst); n++) {
                    int seq = n;
                    last = journal.append(TestEvents.event(seq)).onSuccess(index -> out.println("ack " + seq + " " + index));
                }
                last.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                LockSupport.parkNanos(pauseNanos); // keep the stream going long enough to be killed in the middle
            }
        }
        out.println("done");
    }
}
