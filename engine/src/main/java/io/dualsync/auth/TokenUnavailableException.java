package io.dualsync.auth;

/**
 * No token could be obtained. {@link #credentialsRejected()} tells a configuration problem (unknown
 * application, wrong secret or certificate, unknown scope: retrying will not help) from an identity
 * provider that could not be reached or failed (retry later). The message never holds a secret.
 */
public final class TokenUnavailableException extends RuntimeException {
    private final boolean credentialsRejected;

    public TokenUnavailableException(String message, boolean credentialsRejected, Throwable cause) {
        super(message, cause);
        this.credentialsRejected = credentialsRejected;
    }

    public boolean credentialsRejected() {
        return credentialsRejected;
    }
}
