package io.dualsync.conflict;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.ConflictPolicy;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.FieldMapping;
import io.dualsync.mapping.Side;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Applies a map's conflict policy to a record pair both of whose sides changed since the last sync,
 * and says what to write to each side so they converge.
 *
 * <p>Field by field, against the last synced {@link SideState#fields base}: a field changed on
 * neither side is left alone; a field the map carries one way only is decided by its source side
 * (the other side's edits of it are never synced, so they are not reverted either). Any other field
 * is decided by its own policy ({@link CompiledMap#conflict(FieldMapping)}), else the map's:
 * <ul>
 *   <li>{@code fo-wins} / {@code dataverse-wins}: that side's value, whichever side changed it;</li>
 *   <li>{@code last-writer-wins}: the side whose record was modified later (the systems' modified
 *       times); <b>ties</b>, and pairs where either side's time is unknown, go to <b>F&O</b>. The
 *       pipeline knows the time of the incoming event's side only (the other side is read without
 *       one), so "the side with a time wins" would let each of two concurrent events win for its own
 *       side and cross the values; a fixed side makes both events, and replays, decide alike;</li>
 *   <li>{@code merge}: the side that changed the field when only one did; the tie-break policy when
 *       both did ({@code last-writer-wins} when the map gives none);</li>
 *   <li>{@code manual}: if any field in play is manual, the whole record is held
 *       ({@link ConflictRecord.Outcome#HELD}) and nothing is written.</li>
 * </ul>
 * The winner's value of a field is written to the other side. A field whose winning side did not
 * give its value (a partial record) cannot be written and is named in the record's detail: pass
 * full records of both sides (as read) to avoid that.
 *
 * <p>Pure (time and ids injected), stateless and thread-safe; never returns null.
 */
public final class ConflictResolver {
    private final Clock clock;
    private final Supplier<String> ids;

    public ConflictResolver(Clock clock, Supplier<String> ids) {
        this.clock = clock;
        this.ids = ids;
    }

    public ConflictResolver(Clock clock) {
        this(clock, () -> UUID.randomUUID().toString());
    }

    /**
     * Resolves a detected conflict with the map's policies.
     *
     * @param fo        the F&O side's mapped values, version and time (full, as read, where possible)
     * @param dataverse the Dataverse side's
     * @param state     what was last synced for the pair
     * @param reason    why it is a conflict ({@link Detection#reason()}), for the record
     */
    public Resolution resolve(CompiledMap map, String key, MappedRecord fo, MappedRecord dataverse, SyncState state,
                              String reason) {
        return plan(map, key, fo, dataverse, state, map.conflict().describe(), reason,
                (f, foChanged, dvChanged) -> decide(map.conflict(f), foChanged, dvChanged, fo, dataverse));
    }

    /**
     * Applies a person's decision to a held conflict.
     *
     * @throws IllegalArgumentException when the choice leaves a field in play undecided, naming it
     */
    public Resolution decideManually(CompiledMap map, String key, MappedRecord fo, MappedRecord dataverse,
                                     SyncState state, Choice choice, String reason) {
        List<String> undecided = new ArrayList<>();
        Resolution r = plan(map, key, fo, dataverse, state, ConflictPolicy.Kind.MANUAL.word(), reason,
                (f, foChanged, dvChanged) -> {
                    Side s = choice.fields().get(f.foField());
                    if (s == null && f.dataverseField() != null) {
                        s = choice.fields().get(f.dataverseField());
                    }
                    if (s == null) {
                        s = choice.winner();
                    }
                    if (s == null) {
                        undecided.add(label(f));
                    }
                    return s;
                });
        if (!undecided.isEmpty()) {
            throw new IllegalArgumentException("no side chosen for " + String.join(", ", undecided)
                    + "; give a winner or a side for each of these fields");
        }
        return r;
    }

    /** Who wins a field, given who changed it; null to hold the record. */
    private interface FieldDecider {
        Side decide(FieldMapping f, boolean foChanged, boolean dataverseChanged);
    }

    private Resolution plan(CompiledMap map, String key, MappedRecord fo, MappedRecord dataverse, SyncState state,
                            String policy, String reason, FieldDecider decider) {
        SyncState base = state != null ? state : SyncState.empty(map.name(), key);
        Map<String, Side> winners = new LinkedHashMap<>();
        Map<String, Object> toFo = new LinkedHashMap<>();
        Map<String, Object> toDataverse = new LinkedHashMap<>();
        List<String> unwritable = new ArrayList<>();
        boolean held = false;
        for (FieldMapping f : map.fields()) {
            String foPath = f.foField();
            String dvPath = f.dataverseField();
            boolean foChanged = changed(base.fo(), fo, foPath);
            boolean dvChanged = changed(base.dataverse(), dataverse, dvPath);
            if (!foChanged && !dvChanged) {
                continue;
            }
            boolean toDv = foPath != null && f.flows(Direction.FO_TO_DATAVERSE);
            boolean toF = dvPath != null && f.flows(Direction.DATAVERSE_TO_FO);
            Side winner;
            if (toDv && toF) {
                winner = decider.decide(f, foChanged, dvChanged);
                if (winner == null) {
                    held = true;
                    continue;
                }
            } else if (toDv && foChanged) {
                winner = Side.FO;
            } else if (toF && dvChanged) {
                winner = Side.DATAVERSE;
            } else {
                continue;
            }
            winners.put(label(f), winner);
            MappedRecord from = winner == Side.FO ? fo : dataverse;
            String path = winner == Side.FO ? foPath : dvPath;
            if (!from.values().containsKey(path)) {
                unwritable.add(label(f));
                continue;
            }
            (winner == Side.FO ? toDataverse : toFo).put(path, from.values().get(path));
        }
        String detail = reason;
        if (held) {
            ConflictRecord record = new ConflictRecord(ids.get(), map.name(), key, policy, ConflictRecord.Outcome.HELD,
                    Map.of(), fo, dataverse, detail + "; held for a manual decision", clock.instant());
            return new Resolution(record, Map.of(), Map.of());
        }
        if (!unwritable.isEmpty()) {
            detail += "; not written (the winning side's value was not given): " + String.join(", ", unwritable);
        }
        ConflictRecord record = new ConflictRecord(ids.get(), map.name(), key, policy, outcome(winners), winners, fo,
                dataverse, detail, clock.instant());
        return new Resolution(record, toFo, toDataverse);
    }

    private static boolean changed(SideState base, MappedRecord side, String path) {
        return path != null && side.values().containsKey(path) && base.changed(path, side.values().get(path));
    }

    private static Side decide(ConflictPolicy p, boolean foChanged, boolean dvChanged, MappedRecord fo,
                               MappedRecord dataverse) {
        ConflictPolicy.Kind kind = p.kind();
        if (kind == ConflictPolicy.Kind.MERGE) {
            if (foChanged != dvChanged) {
                return foChanged ? Side.FO : Side.DATAVERSE;
            }
            kind = p.tieBreak() != null ? p.tieBreak() : ConflictPolicy.Kind.LAST_WRITER_WINS;
        }
        switch (kind) {
            case FO_WINS:
                return Side.FO;
            case DATAVERSE_WINS:
                return Side.DATAVERSE;
            case LAST_WRITER_WINS:
                return lastWriter(fo.modifiedAt(), dataverse.modifiedAt());
            case MANUAL:
                return null;
            default:
                throw new IllegalStateException("policy " + kind.word() + " cannot decide a field");
        }
    }

    /**
     * The later of two modified times; ties, and a time missing on either side, go to F&O (the same
     * answer whichever side's event is being applied).
     */
    static Side lastWriter(Instant fo, Instant dataverse) {
        if (fo == null || dataverse == null) {
            return Side.FO;
        }
        return dataverse.isAfter(fo) ? Side.DATAVERSE : Side.FO;
    }

    private static ConflictRecord.Outcome outcome(Map<String, Side> winners) {
        boolean foWon = winners.containsValue(Side.FO);
        boolean dvWon = winners.containsValue(Side.DATAVERSE);
        if (foWon && dvWon) {
            return ConflictRecord.Outcome.MERGED;
        }
        return dvWon ? ConflictRecord.Outcome.DATAVERSE_WON : ConflictRecord.Outcome.FO_WON;
    }

    static String label(FieldMapping f) {
        return f.foField() != null ? f.foField() : f.dataverseField();
    }
}
