package io.dualsync.emulator;

/** Checks bearer tokens for one emulator; implemented by the identity package. */
public interface Authenticator {
    /** The caller a valid token stands for, or null when the token is missing, expired or for another resource. */
    Caller verify(String bearerToken);

    /** The {@code WWW-Authenticate} header value sent with 401 responses. */
    String challenge();
}
