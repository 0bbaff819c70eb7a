package io.dualsync.ingest;

import io.dualsync.config.InboundAuth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the ingest routes. Every route needs its authentication set explicitly
 * ({@link InboundAuth#NONE} is a choice, not a default). Mutable builder-style object: configure it,
 * then hand it to {@link IngestRoutes}, which copies it.
 */
public final class IngestOptions {
    /** Default body limit: 1 MiB (a Dataverse webhook body is at most 256 KB; larger ones arrive cut). */
    public static final int DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

    private int bodyLimitBytes = DEFAULT_BODY_LIMIT_BYTES;
    private long retryAfterSeconds = 5;
    private InboundAuth dataverseAuth;
    private InboundAuth foAuth;
    private InboundAuth eventsAuth;
    private final Map<String, BusinessEventBinding> businessEvents = new LinkedHashMap<>();

    /** Largest request body accepted; a larger one is answered 413. */
    public IngestOptions bodyLimitBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("bodyLimitBytes must be at least 1024, got " + bytes);
        }
        this.bodyLimitBytes = bytes;
        return this;
    }

    /** {@code Retry-After} when intake is stopped or the journal failed without saying how long to wait. */
    public IngestOptions retryAfterSeconds(long seconds) {
        if (seconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be at least 1, got " + seconds);
        }
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** Authentication of {@code POST /webhooks/dataverse}. */
    public IngestOptions dataverseAuth(InboundAuth auth) {
        this.dataverseAuth = Objects.requireNonNull(auth);
        return this;
    }

    /** Authentication of {@code POST /webhooks/fo}. */
    public IngestOptions foAuth(InboundAuth auth) {
        this.foAuth = Objects.requireNonNull(auth);
        return this;
    }

    /** Authentication of {@code POST /events}. */
    public IngestOptions eventsAuth(InboundAuth auth) {
        this.eventsAuth = Objects.requireNonNull(auth);
        return this;
    }

    /** Binds an F&O business event id (ignoring case) to the entity and key fields its contract identifies. */
    public IngestOptions businessEvent(String businessEventId, BusinessEventBinding binding) {
        businessEvents.put(Objects.requireNonNull(businessEventId), Objects.requireNonNull(binding));
        return this;
    }

    public int bodyLimitBytes() {
        return bodyLimitBytes;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public InboundAuth dataverseAuth() {
        return dataverseAuth;
    }

    public InboundAuth foAuth() {
        return foAuth;
    }

    public InboundAuth eventsAuth() {
        return eventsAuth;
    }

    public Map<String, BusinessEventBinding> businessEvents() {
        return Map.copyOf(businessEvents);
    }
}
