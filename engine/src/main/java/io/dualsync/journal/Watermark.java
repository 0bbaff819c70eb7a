package io.dualsync.journal;

import java.util.TreeSet;

/**
 * The durable position of a reader whose events complete out of order: the lowest index delivered
 * and not yet committed, or, when every delivered index is committed, the index after the last one
 * delivered. Every index below it has a durable outcome. Not thread-safe: its reader guards it.
 */
final class Watermark {
    private final TreeSet<Long> outstanding = new TreeSet<>();
    private long next;
    private long committed;

    /** Starts where the previous run's watermark was (0: the start of the journal). */
    Watermark(long start) {
        this.next = start;
    }

    /** The reader handed out the event at {@code index}; indexes are delivered in increasing order. */
    void delivered(long index) {
        if (index < next) {
            throw new IllegalStateException("index " + index + " delivered after " + (next - 1));
        }
        outstanding.add(index);
        next = index + 1;
    }

    /**
     * Records the outcome of a delivered event. Committing an index twice, or one below the watermark,
     * changes nothing (a retried outcome); committing one never delivered is a bug in the caller.
     *
     * @return true when this commit counted (the index was outstanding)
     */
    boolean commit(long index) {
        if (outstanding.remove(index)) {
            committed++;
            return true;
        }
        if (index >= next) {
            throw new IllegalArgumentException("index " + index + " was never delivered by this reader (next is " + next + ")");
        }
        return false;
    }

    long position() {
        return outstanding.isEmpty() ? next : outstanding.first();
    }

    /** Commits that counted since this watermark was created. */
    long committedCount() {
        return committed;
    }

    int outstandingCount() {
        return outstanding.size();
    }
}
