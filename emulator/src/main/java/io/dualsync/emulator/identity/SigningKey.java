package io.dualsync.emulator.identity;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;

/**
 * The key pair access tokens are signed with, made once per process: both emulators of a process
 * share it, as F&amp;O and Dataverse share one Entra authority, so a token either emulator issues for
 * the other's resource is accepted there. Tokens do not survive a restart (like a rolled-over signing
 * key). Its id ({@code kid}, and {@code x5t} like Entra's v1.0 tokens) is a SHA-1 thumbprint of the
 * public key. Immutable; any thread.
 */
final class SigningKey {
    private static final class Holder {
        static final SigningKey SHARED = new SigningKey();
    }

    final KeyPair pair;
    final String kid;

    /** The process-wide key, made on first use. */
    static SigningKey shared() {
        return Holder.SHARED;
    }

    private SigningKey() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            this.pair = gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
        this.kid = Jwt.encode(Jwt.sha1(pair.getPublic().getEncoded()));
    }

    RSAPublicKey publicKey() {
        return (RSAPublicKey) pair.getPublic();
    }

    /**
     * The key as a JWK, as {@code /discovery/v2.0/keys} lists it (kty, use, kid, x5t, n, e, issuer).
     * Entra also sends {@code x5c}, the certificate chain; the emulator's key has no certificate.
     */
    JsonObject jwk(String issuer) {
        return new JsonObject()
                .put("kty", "RSA")
                .put("use", "sig")
                .put("alg", "RS256")
                .put("kid", kid)
                .put("x5t", kid)
                .put("n", Jwt.encode(unsigned(publicKey().getModulus())))
                .put("e", Jwt.encode(unsigned(publicKey().getPublicExponent())))
                .put("issuer", issuer);
    }

    /** Big-endian magnitude without the sign byte (RFC 7518 section 6.3.1: Base64urlUInt). */
    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            byte[] t = new byte[b.length - 1];
            System.arraycopy(b, 1, t, 0, t.length);
            return t;
        }
        return b;
    }
}
