package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to write so both sides converge after a conflict, and the record to log.
 *
 * <p>Writes are given in the <em>source</em> side's vocabulary, as the map evaluates them:
 * {@code toDataverse} holds F&O field paths and values, to be mapped F&O-to-Dataverse and written
 * to Dataverse; {@code toFo} holds Dataverse paths and values, to be mapped Dataverse-to-F&O and
 * written to F&O. An empty map means nothing to write to that side. Both are empty when held.
 *
 * @param record      the conflict, for the log and the admin API
 * @param toFo        Dataverse values whose mapping is written to F&O
 * @param toDataverse F&O values whose mapping is written to Dataverse
 */
public record Resolution(ConflictRecord record, Map<String, Object> toFo, Map<String, Object> toDataverse) {

    public Resolution {
        toFo = toFo == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(toFo));
        toDataverse = toDataverse == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(toDataverse));
    }

    public boolean held() {
        return record.outcome() == ConflictRecord.Outcome.HELD;
    }

    /** The source values to map and write to {@code target} (empty: nothing to write there). */
    public Map<String, Object> to(Side target) {
        return target == Side.FO ? toFo : toDataverse;
    }
}
