package io.dualsync.admin;

import java.util.List;

/**
 * Whether the engine can take events now. {@code GET /health/ready} answers 200 when
 * {@link #notReadyReasons()} is empty, 503 with the reasons otherwise. Called on the event loop:
 * must be cheap and never block.
 */
@FunctionalInterface
public interface ReadinessCheck {
    /** Why the engine is not ready ("journal is not open"); empty when it is. Never null. */
    List<String> notReadyReasons();
}
