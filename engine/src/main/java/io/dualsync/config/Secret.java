package io.dualsync.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A configured secret (client secret, webhook key). It prints as {@code ****} wherever it ends up
 * (logs, {@link EngineConfig#describe()}, exception messages); only {@link #reveal()} gives the text,
 * for the one place that sends it. Immutable, thread-safe.
 */
public final class Secret {
    /** How every secret is shown. */
    public static final String MASK = "****";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret's text. Never log it. */
    public String reveal() {
        return value;
    }

    /**
     * Whether {@code presented} equals this secret, in time that does not depend on where they differ
     * (a webhook sender must not learn the key byte by byte). False for null.
     */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        // Comparing digests keeps even the length of the secret from showing in the timing.
        return MessageDigest.isEqual(sha256(value), sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return MASK;
    }
}
