package io.dualsync.dedup;

/**
 * What dedup decided for an event or a write.
 *
 * @param kind   the decision
 * @param reason why, for logs (never null)
 */
public record DedupDecision(Kind kind, String reason) {

    public enum Kind {
        /** Go on: conflict check, then apply. */
        PROCESS,
        /** The same event again (webhook retry, business-event redelivery): already handled. */
        DUPLICATE,
        /** Older than a version of the record already dealt with. */
        STALE,
        /** Our own write coming back from the other system. */
        ECHO,
        /** The target already has these values from us: nothing to write. */
        NO_OP
    }

    static final DedupDecision PROCESS = new DedupDecision(Kind.PROCESS, "new change");

    /** True for {@link Kind#PROCESS}: anything else skips the event with {@link #reason()}. */
    public boolean process() {
        return kind == Kind.PROCESS;
    }

    static DedupDecision of(Kind kind, String reason) {
        return new DedupDecision(kind, reason);
    }
}
