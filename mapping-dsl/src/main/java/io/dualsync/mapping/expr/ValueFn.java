package io.dualsync.mapping.expr;

import java.util.Map;

/**
 * A compiled expression: computes a value from a source record and the value flowing through a
 * transform pipeline. Pure; safe to call from any thread.
 */
@FunctionalInterface
public interface ValueFn {
    Object apply(Map<String, ?> record, Object value);
}
