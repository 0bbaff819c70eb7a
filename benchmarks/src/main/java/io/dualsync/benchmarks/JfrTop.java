package io.dualsync.benchmarks;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the CPU time of a JFR recording went: execution samples ({@code jdk.ExecutionSample}) by
 * thread, then, for each thread whose name contains one of the given texts, the methods the samples
 * were in (self) and the methods on their stacks (total, each method counted once per sample), as
 * shares of that thread's samples, and the innermost {@code io.dualsync} method of each sample (what
 * part of dualsync the time was spent for, libraries included). Meant for the recordings {@link EngineLoad} makes with
 * {@code --jfr DIR}, whose event loops are named {@code engine-loop}, {@code emulators-loop} and
 * {@code driver-loop}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.dualsync.benchmarks.JfrTop DIR/saturation.jfr [--top 25] [engine-loop ...]
 * </pre>
 */
public final class JfrTop {
    private JfrTop() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: JfrTop FILE.jfr [--top N] [THREAD-NAME-PART ...]");
            System.exit(2);
        }
        Path file = Paths.get(args[0]);
        int top = 25;
        List<String> wanted = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--top") && i + 1 < args.length) {
                top = Integer.parseInt(args[++i]);
            } else {
                wanted.add(args[i]);
            }
        }
        if (wanted.isEmpty()) {
            wanted = List.of("engine-loop", "emulators-loop", "driver-loop");
        }

        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Map<String, Integer>> self = new HashMap<>();
        Map<String, Map<String, Integer>> total = new HashMap<>();
        Map<String, Map<String, Integer>> owner = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            RecordedThread t = e.getThread("sampledThread");
            String thread = t == null ? "?" : t.getJavaName();
            byThread.merge(thread, 1, Integer::sum);
            String group = null;
            for (String w : wanted) {
                if (thread != null && thread.contains(w)) {
                    group = w;
                }
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (group == null || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            self.computeIfAbsent(group, g -> new HashMap<>()).merge(name(frames.get(0)), 1, Integer::sum);
            String dualsync = "(no io.dualsync frame: Netty, Vert.x, JDK)";
            for (RecordedFrame f : frames) {
                if (f.getMethod().getType().getName().startsWith("io.dualsync.")) {
                    dualsync = name(f);
                    break;
                }
            }
            owner.computeIfAbsent(group, g -> new HashMap<>()).merge(dualsync, 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (seen.add(n)) {
                    total.computeIfAbsent(group, g -> new HashMap<>()).merge(n, 1, Integer::sum);
                }
            }
        }
        System.out.printf(Locale.US, "%s: %,d execution samples%n", file, samples);
        System.out.println("Samples by thread:");
        print(byThread, samples, 12);
        for (String w : wanted) {
            int n = byThread.entrySet().stream().filter(x -> x.getKey() != null && x.getKey().contains(w))
                    .mapToInt(Map.Entry::getValue).sum();
            if (n == 0) {
                continue;
            }
            System.out.printf(Locale.US, "%n== %s: %,d samples. Self (the method a sample was in):%n", w, n);
            print(self.getOrDefault(w, Map.of()), n, top);
            System.out.printf(Locale.US, "== %s. By the innermost io.dualsync method on the stack (its own time and the libraries it called):%n", w);
            print(owner.getOrDefault(w, Map.of()), n, top);
            System.out.printf(Locale.US, "== %s. Total (the method was on the stack):%n", w);
            print(total.getOrDefault(w, Map.of()), n, top * 2);
        }
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type + "." + f.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int of, int top) {
        TreeMap<Integer, java.util.List<String>> sorted = new TreeMap<>(java.util.Comparator.reverseOrder());
        counts.forEach((k, v) -> sorted.computeIfAbsent(v, x -> new java.util.ArrayList<>()).add(k));
        int shown = 0;
        for (Map.Entry<Integer, java.util.List<String>> e : sorted.entrySet()) {
            for (String k : e.getValue()) {
                if (shown++ >= top) {
                    return;
                }
                System.out.printf(Locale.US, "  %5.1f%%  %6d  %s%n", 100.0 * e.getKey() / of, e.getKey(), k);
            }
        }
    }
}
