package io.dualsync.mapping.dualwrite;

import io.dualsync.mapping.Span;
import io.dualsync.mapping.syntax.Ast.Arrow;

import java.util.ArrayList;
import java.util.List;

/**
 * A dual-write map as read from either input form, before schemas are consulted: entity names,
 * filters and one row per field mapping, each piece with its location in the input.
 */
final class DualWriteMap {
    /** A piece of input text and where it was found. {@code value} is a String, Number, Boolean or null. */
    record Located(Object value, Span span) {
        String text() {
            return value == null ? null : value.toString();
        }
    }

    /** One value-map entry: the F&O value (a key) and the Dataverse value. */
    record Entry(Located fo, Located dataverse) {
    }

    /** One field mapping. */
    static final class Row {
        /** F&O field as written, or null for {@code none}. */
        Located fo;
        /** Dataverse field as written, or null for {@code none}. */
        Located dataverse;
        Arrow arrow;
        /** True when the input says the values are transformed (`><`, or a ValueMap without entries). */
        boolean valueTransform;
        /** The value map as written, or null when there is none. */
        List<Entry> valueMap;
        /** The default value as written, or null. */
        Located defaultValue;
        /** The whole row in the input. */
        Span span;
        /** Parts of the row that were not converted (listed in a comment on the line), or null. */
        String unconverted;
        /** Set when the row cannot be converted: it is written out as a comment with this reason. */
        String skipped;
    }

    /** The map's title ("Customers V3 to accounts"), or null. */
    String title;
    /** F&O entity as named in the input (entity set, label or logical name), or null. */
    Located foEntity;
    /** Dataverse table as named in the input (entity set or logical name), or null. */
    Located dataverseEntity;
    Located foFilter;
    Located dataverseFilter;
    final List<Row> rows = new ArrayList<>();
}
