package io.dualsync.mapping;

/** One of the two systems a map connects: F&O or Dataverse. */
public enum Side {
    FO("fo"), DATAVERSE("dataverse");

    private final String word;

    Side(String word) {
        this.word = word;
    }

    /** As written in maps and schema files: {@code fo} or {@code dataverse}. */
    public String word() {
        return word;
    }

    public Side other() {
        return this == FO ? DATAVERSE : FO;
    }
}
