package io.dualsync.journal;

import io.dualsync.model.ChangeEvent;
import io.vertx.core.Future;

/**
 * The durable log of change events, on disk (Chronicle Queue). Ingest appends and acknowledges the
 * sender only when the returned future completes; the pipeline reads through named readers whose
 * positions survive restarts. Thread-safe.
 */
public interface Journal extends AutoCloseable {

    /**
     * Appends an event. Completes with its index once it is durable in the configured
     * {@link Durability} mode; fails when the journal is closed, unavailable or over its back-pressure
     * limit ({@link JournalFullException}) — the caller then answers 503 and never acknowledges.
     */
    Future<Long> append(ChangeEvent event);

    /**
     * A named reader. Its committed position survives restarts: after a restart it delivers every
     * event from the lowest index not yet committed (at-least-once).
     */
    JournalReader reader(String name);

    /** Events appended but not yet committed by the named reader (journal lag, for metrics). */
    long lag(String readerName);

    /** True while the journal is open and writable (readiness). */
    boolean isOpen();

    @Override
    void close();
}
