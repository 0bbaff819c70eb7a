package io.dualsync.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Constant-time comparison of secrets: digests of both sides, so the time says nothing about the value or its length. */
final class Secrets {
    private Secrets() {
    }

    static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(digest(expected), digest(given));
    }

    static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
