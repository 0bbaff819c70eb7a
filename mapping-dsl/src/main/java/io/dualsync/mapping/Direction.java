package io.dualsync.mapping;


/** One way a map can be applied. */
public enum Direction {
    FO_TO_DATAVERSE("fo-to-dataverse", Side.FO, Side.DATAVERSE),
    DATAVERSE_TO_FO("dataverse-to-fo", Side.DATAVERSE, Side.FO);

    private final String word;
    private final Side source;
    private final Side target;

    Direction(String word, Side source, Side target) {
        this.word = word;
        this.source = source;
        this.target = target;
    }

    /** As written in {@code check --json}: {@code fo-to-dataverse} or {@code dataverse-to-fo}. */
    public String word() {
        return word;
    }

    public Side source() {
        return source;
    }

    public Side target() {
        return target;
    }

    public static Direction towards(Side target) {
        return target == Side.DATAVERSE ? FO_TO_DATAVERSE : DATAVERSE_TO_FO;
    }
}
