package io.dualsync.journal;

import io.dualsync.model.ChangeEvent;

/**
 * Reads a journal in order under a name. Events may complete out of order (different records are
 * applied in parallel): the durable position is the lowest index not yet {@link #commit committed},
 * so a restart re-delivers exactly the events whose outcome was not recorded. Used from one thread
 * at a time (Chronicle tailers are single-threaded).
 */
public interface JournalReader extends AutoCloseable {

    /** One journaled event and its index. */
    record Entry(long index, ChangeEvent event) {
    }

    /** The next event, or null when the reader has caught up. Never blocks. */
    Entry next();

    /** Records that the event at {@code index} has a durable outcome (applied, skipped, dead-lettered). */
    void commit(long index);

    /** The lowest index not yet committed (where a restart would resume). */
    long position();

    @Override
    void close();
}
