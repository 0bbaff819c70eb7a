package io.dualsync.mapping.schema;

import java.util.Locale;

/** The types a schema field, an {@code as} clause or a transform result can have. */
public enum FieldType {
    STRING, INTEGER, DECIMAL, BOOLEAN, DATE, DATETIME, GUID,
    /** F&O enum: values are symbols. */
    ENUM,
    /** Dataverse choice (option set): values are integers with labels. */
    CHOICE,
    /** Dataverse lookup: a reference to a row of another table. */
    LOOKUP;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static FieldType parse(String word) {
        for (FieldType t : values()) {
            if (t.word().equals(word)) {
                return t;
            }
        }
        return null;
    }

    public boolean isNumeric() {
        return this == INTEGER || this == DECIMAL;
    }
}
