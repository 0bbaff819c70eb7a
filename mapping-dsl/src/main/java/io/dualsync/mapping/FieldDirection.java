package io.dualsync.mapping;

/** Which way a field flows, as {@code check --json} writes it. */
public enum FieldDirection {
    BOTH("both"), FO_TO_DATAVERSE("fo-to-dataverse"), DATAVERSE_TO_FO("dataverse-to-fo");

    private final String word;

    FieldDirection(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public boolean flows(Direction d) {
        return this == BOTH || (d == Direction.FO_TO_DATAVERSE) == (this == FO_TO_DATAVERSE);
    }
}
