package io.dualsync.mapping;

/**
 * Every diagnostic the mapping tools can report. The codes are stable: scripts and docs refer to
 * them. docs/mapping-language.md lists each with an example; where Microsoft dual-write's table-map
 * health check has an equivalent, {@link #dualWrite()} names it.
 */
public enum DiagnosticCode {
    // Lexical and syntax errors.
    UNEXPECTED_CHARACTER("E001", "unexpected character", null),
    UNTERMINATED_STRING("E002", "unterminated string", null),
    SYNTAX("E003", "syntax error", null),
    UNCLOSED_BRACKET("E004", "unclosed bracket", null),
    UNKNOWN_STATEMENT("E005", "unknown statement", null),

    // Structure of a map, independent of schemas.
    MISSING_FO_ENTITY("E101", "map has no F&O entity", null),
    MISSING_DATAVERSE_TABLE("E102", "map has no Dataverse table", null),
    DUPLICATE_DECLARATION("E103", "declared twice", null),
    DUPLICATE_MAP("E104", "two maps with one name", null),
    MISSING_KEY("E105", "integration key missing", "DIPV1003"),
    KEY_NOT_MAPPED("E106", "integration key field not mapped in every direction the map flows", "DIPV1004"),
    NO_SOURCE("E107", "field without a source on either side", null),
    TARGET_WITHOUT_VALUE("E108", "target field with no source and no default", null),
    UNKNOWN_CONFLICT_POLICY("E109", "unknown conflict policy", null),
    BAD_CONFLICT_POLICY("E110", "conflict policy not allowed here", null),
    WRONG_DIRECTION("E111", "clause for a direction the field does not flow", null),
    BAD_VALUE_MAP("E112", "value map is not usable", null),
    NOT_INVERTIBLE("E113", "transform cannot be inverted on a both-ways field", null),
    UNKNOWN_TRANSFORM("E114", "unknown transform", null),
    BAD_TRANSFORM_ARGUMENTS("E115", "wrong transform arguments", null),
    MIXED_PIPELINES("E116", "plain and per-direction transforms on one field", null),
    BAD_FILTER("E117", "filter cannot be evaluated", null),
    BAD_LITERAL("E118", "literal does not fit the declared type", null),
    UNKNOWN_TYPE("E119", "unknown type", null),
    EVENT_KEY_NOT_FILLED("E120", "business event does not fill each key field once, from a field of its own", null),
    EVENT_FIELD_NOT_A_KEY("E121", "business event fills a field that is not a key field of the map", null),
    DUPLICATE_EVENT("E122", "business event bound twice", null),

    // Checks against entity schemas.
    UNKNOWN_FIELD("E201", "unknown field", null),
    TYPE_MISMATCH("E202", "type mismatch", null),
    MANDATORY_NOT_MAPPED("E203", "mandatory target field not mapped and no default", null),
    READ_ONLY_TARGET("E204", "read-only target field", null),
    KEY_NOT_IN_SCHEMA("E205", "map key is not a key of the entity", "DIPV1003"),
    BAD_LOOKUP("E206", "lookup written without the related table's key, or a path through a non-lookup", null),
    UNKNOWN_VALUE("E207", "value is not an enum symbol or option of the field", null),
    BAD_SCHEMA("E208", "schema file is invalid", null),

    // Warnings.
    TARGET_MAPPED_TWICE("W301", "target field written twice in one direction", null),
    NO_SCHEMA("W302", "no schema for an entity while schemas are loaded", null),
    PARTIAL_VALUE_MAP("W303", "value map does not cover every value", null),

    // Importing Microsoft dual-write maps.
    IMPORT_MALFORMED("E401", "input is not a dual-write map", null),
    IMPORT_UNKNOWN_CONSTRUCT("E402", "unknown dual-write construct", null),
    IMPORT_VALUE_MAP_MISSING("W403", "value transform without a value map", null),
    IMPORT_FIELD_NOT_IN_SCHEMA("W404", "field not found in schema; spelling kept", null);

    private final String code;
    private final String title;
    private final String dualWrite;

    DiagnosticCode(String code, String title, String dualWrite) {
        this.code = code;
        this.title = title;
        this.dualWrite = dualWrite;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** The equivalent dual-write health-check code, or {@code null}. */
    public String dualWrite() {
        return dualWrite;
    }
}
