package io.dualsync.auth;

import io.vertx.core.Future;

/**
 * Bearer tokens for one target system (one Entra application, one resource). Connectors ask for a
 * token before every request; implementations keep the current token, so asking is cheap.
 * Thread-safe; callable from any thread or event loop, never blocks it.
 */
public interface TokenProvider {

    /**
     * The current access token (without the {@code Bearer } prefix). Completes on the caller's
     * context; fails when no token can be obtained (the cause says why, never with a secret).
     */
    Future<String> token();

    /**
     * Forgets the current token: the target rejected it (401). The next {@link #token()} gets a new
     * one from the identity provider, bypassing any cache.
     */
    void invalidate();
}
