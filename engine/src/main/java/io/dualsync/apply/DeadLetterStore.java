package io.dualsync.apply;

import io.dualsync.conflict.KeyedFileLog;
import io.dualsync.conflict.SideState;
import io.dualsync.conflict.SyncState;
import io.dualsync.conflict.SyncStateStore;
import io.dualsync.model.ChangeEvent;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The dead-letter queue behind {@code GET /admin/dead-letters}, {@code POST /admin/dead-letters/{id}/retry}
 * and {@code DELETE /admin/dead-letters/{id}}, kept across restarts in {@code dead-letters.jsonl}
 * (a {@link KeyedFileLog}: an add appends the letter, a delete or retry appends a tombstone;
 * compacted by atomic rename). Put a dead letter before committing its event's journal position.
 *
 * <p>A retry never overwrites a newer version: when the sync state shows that a version of the
 * record's source side at least as new as the letter's was applied since, the retry is skipped with
 * that reason. Either way the letter leaves the queue (a retry that fails again comes back as a new
 * letter). Thread-safe; {@link #open} blocks.
 */
public final class DeadLetterStore implements AutoCloseable {
    private final KeyedFileLog<DeadLetter> log;

    /**
     * What a retry request came to.
     *
     * @param retry  true: resubmit {@code letter.event()} (through {@code Deduplicator.forget} first)
     * @param letter the dead letter, removed from the queue
     * @param reason why it is retried or skipped
     */
    public record Retry(boolean retry, DeadLetter letter, String reason) {
    }

    private DeadLetterStore(KeyedFileLog<DeadLetter> log) {
        this.log = log;
    }

    /** Opens the queue in {@code dir}, creating it when missing. */
    public static DeadLetterStore open(Path dir) {
        return new DeadLetterStore(KeyedFileLog.open(dir.resolve("dead-letters.jsonl"), DeadLetter.class));
    }

    /** Adds a letter (replacing one with the same id). */
    public void add(DeadLetter letter) {
        log.put(letter.id(), letter);
    }

    /** The letters in journal order. */
    public List<DeadLetter> list() {
        return log.values().stream()
                .sorted(Comparator.comparingLong(DeadLetter::journalIndex).thenComparing(DeadLetter::map)).toList();
    }

    /** A letter by id, or null. */
    public DeadLetter get(String id) {
        return log.get(id);
    }

    /** Removes a letter; false when there is none with that id. */
    public boolean delete(String id) {
        return log.remove(id);
    }

    /**
     * Takes a letter out of the queue for a retry, unless a newer version of its record was applied.
     *
     * @throws NoSuchElementException when there is no letter with that id
     */
    public Retry retry(String id, SyncStateStore states) {
        DeadLetter letter = log.get(id);
        if (letter == null) {
            throw new NoSuchElementException("no dead letter " + id);
        }
        String newer = newerApplied(letter.event(), states.get(letter.map(), letter.key()));
        log.remove(id);
        if (newer != null) {
            return new Retry(false, letter, "not retried: " + newer);
        }
        return new Retry(true, letter, "retrying event " + letter.event().eventId());
    }

    /** Why a version at least as new as the event's was applied since, or null when none was. */
    static String newerApplied(ChangeEvent event, SyncState state) {
        if (state == null) {
            return null;
        }
        SideState side = state.side(event.source());
        if (event.version() != 0 && side.version() != 0) {
            return side.version() >= event.version()
                    ? event.source().word() + " version " + side.version() + " of this record was already applied "
                    + "(this letter holds version " + event.version() + ")"
                    : null;
        }
        if (event.modifiedAt() != null && side.modifiedAt() != null && side.modifiedAt().isAfter(event.modifiedAt())) {
            return "a " + event.source().word() + " change of this record made at " + side.modifiedAt()
                    + " was applied after this letter's change of " + event.modifiedAt();
        }
        return null;
    }

    public int size() {
        return log.size();
    }

    /** Forces the queue to disk. Blocks: not on an event loop. */
    public void sync() {
        log.sync();
    }

    @Override
    public void close() {
        log.close();
    }
}
