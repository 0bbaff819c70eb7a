package io.dualsync.apply;

import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;

import java.time.Instant;

/**
 * An event that could not be applied to its target and was set aside so the other records go on
 * (a permanent error such as a 400 validation or 404 lookup answer, or retries past the deadline).
 * It keeps everything needed to understand and retry it.
 *
 * @param id           stable id ({@link #idFor}): the journal index and map
 * @param event        the original change event, as journaled
 * @param journalIndex where the event is in the journal
 * @param map          the map it was applied through
 * @param key          the record pair's integration key
 * @param target       the system it could not be written to
 * @param stage        where it failed: one of {@code evaluate}, {@code lookup}, {@code write}, {@code conflict}
 * @param status       the target's HTTP status (0 for none: connection error, timeout, or not a write)
 * @param error        the target's error message (or the mapping error), as given
 * @param attempts     how many attempts were made
 * @param firstAttempt when the first attempt was made
 * @param lastAttempt  when the last attempt was made
 */
public record DeadLetter(String id, ChangeEvent event, long journalIndex, String map, String key, Side target,
                         String stage, int status, String error, int attempts, Instant firstAttempt,
                         Instant lastAttempt) {

    /** The id of the dead letter of a journal entry applied through a map. */
    public static String idFor(long journalIndex, String map) {
        return journalIndex + "-" + map;
    }

    /** A dead letter with its id derived from the journal index and map. */
    public static DeadLetter of(ChangeEvent event, long journalIndex, String map, String key, Side target, String stage,
                                int status, String error, int attempts, Instant firstAttempt, Instant lastAttempt) {
        return new DeadLetter(idFor(journalIndex, map), event, journalIndex, map, key, target, stage, status, error,
                attempts, firstAttempt, lastAttempt);
    }
}
