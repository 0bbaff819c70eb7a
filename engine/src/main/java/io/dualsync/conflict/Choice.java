package io.dualsync.conflict;

import io.dualsync.mapping.Side;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A person's decision on a held conflict: one side for the whole record, or a side per field (by
 * its F&O or Dataverse path), with {@code winner} deciding the fields not named (null: every field in
 * play must be named).
 */
public record Choice(Side winner, Map<String, Side> fields) {

    public Choice {
        fields = fields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (winner == null && fields.isEmpty()) {
            throw new IllegalArgumentException("a decision needs a winner (fo or dataverse) or a side per field");
        }
    }

    public static Choice fo() {
        return new Choice(Side.FO, Map.of());
    }

    public static Choice dataverse() {
        return new Choice(Side.DATAVERSE, Map.of());
    }

    public static Choice perField(Map<String, Side> fields) {
        return new Choice(null, fields);
    }

    /**
     * Reads the admin API's words: {@code winner} is {@code fo}, {@code dataverse} or null;
     * {@code fields} maps a field path to {@code fo} or {@code dataverse}.
     *
     * @throws IllegalArgumentException naming the word that is neither
     */
    public static Choice parse(String winner, Map<String, String> fields) {
        Map<String, Side> f = new LinkedHashMap<>();
        if (fields != null) {
            fields.forEach((k, v) -> f.put(k, side(v, "fields." + k)));
        }
        return new Choice(winner == null ? null : side(winner, "winner"), f);
    }

    private static Side side(String word, String where) {
        for (Side s : Side.values()) {
            if (s.word().equalsIgnoreCase(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException(where + ": `" + word + "` is not a side; use fo or dataverse");
    }
}
