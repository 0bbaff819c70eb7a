package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One conflict as logged and shown by the admin API: both sides as they were, the policy applied,
 * and what came of it.
 *
 * @param id        unique id ({@code POST /admin/conflicts/{id}/resolve})
 * @param map       the map's name
 * @param key       the pair's integration key
 * @param policy    the map's policy as written ({@code merge tie-break fo-wins}); {@code manual} for a
 *                  person's decision
 * @param outcome   what was decided
 * @param winners   per field in play (its F&O path, or its Dataverse path for a field without one):
 *                  the side whose value was kept; empty while held
 * @param fo        the F&O side's version, time and mapped values
 * @param dataverse the Dataverse side's version, time and mapped values
 * @param detail    why it is a conflict and anything left undecided, for people
 * @param at        when it was decided (or held)
 */
public record ConflictRecord(String id, String map, String key, String policy, Outcome outcome,
                             Map<String, Side> winners, MappedRecord fo, MappedRecord dataverse, String detail,
                             Instant at) {

    public enum Outcome {
        /** F&O's values were kept for every field in play. */
        FO_WON,
        /** Dataverse's values were kept for every field in play. */
        DATAVERSE_WON,
        /** Some fields kept from each side. */
        MERGED,
        /** Held for a person to decide ({@code manual}). */
        HELD
    }

    public ConflictRecord {
        winners = winners == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(winners));
    }

    /** One line for the log: map, key, versions, policy and outcome (values are not logged). */
    @Override
    public String toString() {
        return "conflict " + id + " map=" + map + " key=" + key + " fo.version=" + fo.version() + " fo.modifiedAt="
                + fo.modifiedAt() + " dataverse.version=" + dataverse.version() + " dataverse.modifiedAt="
                + dataverse.modifiedAt() + " policy=" + policy + " outcome=" + outcome + " winners=" + winners
                + " (" + detail + ")";
    }
}
