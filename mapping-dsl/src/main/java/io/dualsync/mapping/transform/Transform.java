package io.dualsync.mapping.transform;

import io.dualsync.mapping.expr.ValueFn;
import io.dualsync.mapping.schema.FieldType;

import java.util.List;

/**
 * A transform of the pipeline language, with what the checker needs to know about it: how many
 * arguments it takes, which must be literals, what type it produces, and whether a both-ways field
 * may use it (see {@link Inversion}).
 */
public interface Transform {

    /** What a both-ways field may do with a transform. */
    enum Inversion {
        /** Idempotent clean-up, applied the same way in both directions (trim, upper, lower). */
        NORMALIZER,
        /** Has an exact inverse used for the way back (prefix, scale, format-number, ...). */
        INVERTIBLE,
        /** Loses information: only on one-way fields or in a per-direction pipeline. */
        ONE_WAY
    }

    String name();

    /** One line for docs and {@code --help}. */
    String summary();

    int minArgs();

    /** {@code Integer.MAX_VALUE} for variadic transforms. */
    int maxArgs();

    /** True when argument {@code i} must be a literal (a pattern, a count). */
    boolean literalArg(int i);

    Inversion inversion();

    /** The type produced from an input of type {@code input} (null when unknown). */
    FieldType resultType(FieldType input);

    /**
     * Builds the step. {@code args} are compiled arguments; {@code literals} their literal values
     * (null where an argument is not a literal). Throws {@link IllegalArgumentException} with a
     * reader-facing message when a literal argument is unusable (for instance a bad pattern).
     */
    ValueFn build(List<ValueFn> args, List<Object> literals);

    /** The inverse step, for {@link Inversion#INVERTIBLE} transforms. */
    default ValueFn inverse(List<ValueFn> args, List<Object> literals) {
        throw new UnsupportedOperationException(name() + " has no inverse");
    }
}
