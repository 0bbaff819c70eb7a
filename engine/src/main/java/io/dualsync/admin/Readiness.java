package io.dualsync.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The usual {@link ReadinessCheck}: a list of conditions, each with the reason given when it does not
 * hold, plus a stopping flag set when shutdown begins (intake stops; load balancers should stop
 * sending). Thread-safe.
 *
 * <pre>{@code
 * Readiness ready = new Readiness()
 *         .require("journal is not open", journal::isOpen)
 *         .require("maps are not loaded", () -> maps != null);
 * }</pre>
 */
public final class Readiness implements ReadinessCheck {
    private record Condition(String reason, BooleanSupplier holds) {
    }

    private final List<Condition> conditions = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** Adds a condition; {@code reasonWhenFalse} is reported while {@code holds} is false. Cheap, non-blocking suppliers only. */
    public Readiness require(String reasonWhenFalse, BooleanSupplier holds) {
        conditions.add(new Condition(reasonWhenFalse, holds));
        return this;
    }

    /** From now on not ready, whatever the conditions say: shutting down. */
    public void markStopping() {
        stopping = true;
    }

    public boolean isStopping() {
        return stopping;
    }

    @Override
    public List<String> notReadyReasons() {
        List<String> reasons = new ArrayList<>();
        if (stopping) {
            reasons.add("shutting down");
        }
        for (Condition c : conditions) {
            boolean holds;
            try {
                holds = c.holds().getAsBoolean();
            } catch (RuntimeException e) {
                holds = false;
            }
            if (!holds) {
                reasons.add(c.reason());
            }
        }
        return reasons;
    }
}
