package io.dualsync.admin;

import io.dualsync.mapping.Side;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a person resolves a held conflict: one side's version wins ({@code {"winner": "fo"}}), or
 * the given values, by mapped field, are written to both sides ({@code {"values": {...}}}). Exactly
 * one of the two.
 *
 * @param winner the side whose version wins, or null
 * @param values field to value, or null
 */
public record ConflictResolution(Side winner, Map<String, Object> values) {

    public ConflictResolution {
        if ((winner == null) == (values == null)) {
            throw new IllegalArgumentException("give either winner or values");
        }
        values = values == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static ConflictResolution winner(Side side) {
        return new ConflictResolution(side, null);
    }

    /**
     * Reads a request body.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static ConflictResolution parse(JsonObject body) {
        if (body == null) {
            throw new IllegalArgumentException("expected a JSON object: {\"winner\": \"fo\" | \"dataverse\"} or {\"values\": {...}}");
        }
        for (String field : body.fieldNames()) {
            if (!field.equals("winner") && !field.equals("values")) {
                throw new IllegalArgumentException("unknown field `" + field + "`: give winner or values");
            }
        }
        boolean hasWinner = body.containsKey("winner");
        boolean hasValues = body.containsKey("values");
        if (hasWinner == hasValues) {
            throw new IllegalArgumentException("give exactly one of winner (\"fo\" or \"dataverse\") or values (an object)");
        }
        if (hasWinner) {
            Object w = body.getValue("winner");
            for (Side side : Side.values()) {
                if (side.word().equals(w)) {
                    return winner(side);
                }
            }
            throw new IllegalArgumentException("winner must be \"fo\" or \"dataverse\", got " + (w == null ? "null" : "`" + w + "`"));
        }
        Object v = body.getValue("values");
        if (!(v instanceof JsonObject) || ((JsonObject) v).isEmpty()) {
            throw new IllegalArgumentException("values must be a non-empty object of field: value");
        }
        return new ConflictResolution(null, ((JsonObject) v).getMap());
    }
}
