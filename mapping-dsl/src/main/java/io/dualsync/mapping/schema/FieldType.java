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

    /**
     * True when a value of this type can be written to a field of type {@code to} without a value
     * map or a declared conversion: same type, anything to text, numbers to numbers and choices,
     * choices to numbers, dates to date-times and back.
     */
    public boolean assignableTo(FieldType to) {
        if (this == to || to == STRING || to == LOOKUP) {
            return true;
        }
        if (isNumeric() && (to.isNumeric() || to == CHOICE)) {
            return true;
        }
        if (this == CHOICE && to.isNumeric()) {
            return true;
        }
        return (this == DATE || this == DATETIME) && (to == DATE || to == DATETIME);
    }
}
