package io.dualsync.conflict;

import java.util.List;

/**
 * What {@link ConflictDetector} found.
 *
 * @param conflict     true when both sides changed since the last sync
 * @param reason       why, for logs (never null)
 * @param changedHere  mapped fields the incoming side changed since the last sync (its own paths)
 * @param changedThere mapped fields the other side changed since the last sync (its own paths)
 */
public record Detection(boolean conflict, String reason, List<String> changedHere, List<String> changedThere) {

    public Detection {
        changedHere = changedHere == null ? List.of() : List.copyOf(changedHere);
        changedThere = changedThere == null ? List.of() : List.copyOf(changedThere);
    }

    static Detection none(String reason) {
        return new Detection(false, reason, List.of(), List.of());
    }
}
