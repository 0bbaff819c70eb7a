package io.dualsync.mapping;

/**
 * How a conflict (both sides changed a record since the last sync) is resolved. For
 * {@link Kind#MERGE}, {@code tieBreak} decides fields changed on both sides; it is null otherwise.
 */
public record ConflictPolicy(Kind kind, Kind tieBreak) {

    public enum Kind {
        FO_WINS("fo-wins"),
        DATAVERSE_WINS("dataverse-wins"),
        LAST_WRITER_WINS("last-writer-wins"),
        MERGE("merge"),
        MANUAL("manual");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        public static Kind parse(String word) {
            for (Kind k : values()) {
                if (k.word.equals(word)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** The policy of a map that does not say: the change made last (by the systems' modified times) wins. */
    public static final ConflictPolicy DEFAULT = new ConflictPolicy(Kind.LAST_WRITER_WINS, null);

    public String describe() {
        return tieBreak == null ? kind.word() : kind.word() + " tie-break " + tieBreak.word();
    }
}
