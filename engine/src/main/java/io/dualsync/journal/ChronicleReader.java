package io.dualsync.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named reader of a {@link ChronicleJournal}: a Chronicle tailer plus the {@link Watermark} of its
 * out-of-order commits. {@link #next()} is called from one thread at a time; {@link #commit},
 * {@link #position()} and {@link #lag()} from any thread (the journal's housekeeping reads them).
 */
final class ChronicleReader implements JournalReader {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleReader.class);

    final String name;
    private final ChronicleJournal journal;
    private final ExcerptTailer tailer;
    private final Watermark marks;
    private final long pendingAtOpen;
    private final long appendedAtOpen;
    /** The position last written to disk; housekeeping thread only. */
    long saved;
    private volatile boolean closed;

    ChronicleReader(ChronicleJournal journal, String name, ExcerptTailer tailer, long start, long pendingAtOpen,
                    long appendedAtOpen) {
        this.journal = journal;
        this.name = name;
        this.tailer = tailer;
        this.marks = new Watermark(start);
        this.pendingAtOpen = pendingAtOpen;
        this.appendedAtOpen = appendedAtOpen;
        this.saved = start;
    }

    @Override
    public Entry next() {
        if (closed) {
            throw new IllegalStateException("reader '" + name + "' is closed");
        }
        journal.checkReadable();
        while (true) {
            long index;
            byte[] bytes;
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return null;
                }
                index = dc.index();
                if (index > journal.durableIndex()) {
                    // Power mode: not synced yet, so not acknowledged; a power loss could still take it away.
                    dc.rollbackOnClose();
                    return null;
                }
                Bytes<?> b = dc.wire().bytes();
                bytes = new byte[(int) b.readRemaining()];
                b.read(bytes);
            }
            synchronized (this) {
                marks.delivered(index);
            }
            try {
                return new Entry(index, EventCodec.decode(bytes));
            } catch (IllegalArgumentException e) {
                // Only this codec writes the journal: an entry it cannot read would stop the reader for good.
                LOG.error("journal entry {} cannot be read and is skipped by reader '{}': {}", index, name, e.getMessage());
                commit(index);
            }
        }
    }

    @Override
    public synchronized void commit(long index) {
        marks.commit(index);
    }

    @Override
    public synchronized long position() {
        return marks.position();
    }

    /** Events appended and not committed by this reader. */
    synchronized long lag() {
        return Math.max(0, pendingAtOpen + (journal.appendedCount() - appendedAtOpen) - marks.committedCount());
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            journal.closed(this);
        }
    }

    void closeTailer() {
        tailer.close();
    }
}
