package io.dualsync.benchmarks;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.ChangeListener;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the engine load driver sees an event arrive: a listener on the Dataverse emulator's committed
 * writes. Every event the driver sends carries its sequence number in the customer's SalesMemo
 * ({@code "load event <seq>"}), which the customers map copies to the account's {@code description};
 * a write of accounts whose written columns hold such a description is that event applied. The time
 * is taken when the emulator has committed the row, before its answer to the engine is sent.
 *
 * <p>{@link #onChange} runs on the emulator's event loop; counters and the latency window are read
 * from the driver's threads, so they are atomics and the histogram is only read under its lock.
 */
final class AppliedWrites implements ChangeListener {
    static final String PREFIX = "load event ";
    /** Latencies above this are recorded as this. */
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(120);

    private final LongAdder applied = new LongAdder();
    private volatile Window window;
    private volatile boolean templateSeen;
    private final String templateMemo;

    /** @param templateMemo the description of the set-up event whose arrival {@link #templateSeen()} tells */
    AppliedWrites(String templateMemo) {
        this.templateMemo = templateMemo;
    }

    /**
     * Intended send times of the events {@code first .. first + capacity - 1}: each one's latency is
     * taken once, when its write is first seen, and recorded when it was intended to be sent within
     * [{@code fromNs}, {@code untilNs}) (the measured period; earlier ones are the warm-up).
     */
    static final class Window {
        final long first;
        final long fromNs;
        final long untilNs;
        final AtomicLongArray sentNs;
        private final Histogram latency = new Histogram(HIGHEST_NS, 3);
        private long recorded;

        Window(long first, int capacity, long fromNs, long untilNs) {
            this.first = first;
            this.fromNs = fromNs;
            this.untilNs = untilNs;
            this.sentNs = new AtomicLongArray(capacity);
        }

        /** Called by the driver before it sends event {@code seq}; {@code ns} is its intended send time (not 0). */
        void sending(long seq, long ns) {
            long i = seq - first;
            if (i >= 0 && i < sentNs.length()) {
                sentNs.set((int) i, ns);
            }
        }

        synchronized void record(long seq, long now) {
            long i = seq - first;
            if (i < 0 || i >= sentNs.length()) {
                return;
            }
            long sent = sentNs.getAndSet((int) i, 0);
            if (sent != 0 && sent >= fromNs && sent < untilNs) {
                latency.recordValue(Math.min(HIGHEST_NS, Math.max(0, now - sent)));
                recorded++;
            }
        }

        /** A copy of the latencies recorded so far. */
        synchronized Histogram snapshot() {
            return latency.copy();
        }

        /** Events of the measured period seen applied so far. */
        synchronized long recorded() {
            return recorded;
        }
    }

    @Override
    public void onChange(ChangeEvent e) {
        if (!"accounts".equals(e.entitySet()) || e.target() == null) {
            return;
        }
        Object d = e.target().get("description");
        if (!(d instanceof String memo)) {
            return;
        }
        if (!memo.startsWith(PREFIX)) {
            if (memo.equals(templateMemo)) {
                templateSeen = true;
            }
            return;
        }
        long seq;
        try {
            seq = Long.parseLong(memo, PREFIX.length(), memo.length(), 10);
        } catch (NumberFormatException ex) {
            return;
        }
        long now = System.nanoTime();
        applied.increment();
        Window w = window;
        if (w != null) {
            w.record(seq, now);
        }
    }

    /** Events applied since start (every write of an event counts, a repeated one too). */
    long applied() {
        return applied.sum();
    }

    boolean templateSeen() {
        return templateSeen;
    }

    /** Starts timing events from {@code first} on, at most {@code capacity} of them (see {@link Window}). */
    Window openWindow(long first, int capacity, long fromNs, long untilNs) {
        Window w = new Window(first, capacity, fromNs, untilNs);
        window = w;
        return w;
    }
}
