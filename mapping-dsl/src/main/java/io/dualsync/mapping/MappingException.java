package io.dualsync.mapping;

/**
 * Thrown while evaluating a compiled map when one record cannot be mapped (a value that cannot be
 * coerced, a value missing from a value map). Says which map, field and value; the engine
 * dead-letters the record and goes on with the others.
 */
public final class MappingException extends RuntimeException {
    private final String field;

    public MappingException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The target field being computed. */
    public String field() {
        return field;
    }
}
