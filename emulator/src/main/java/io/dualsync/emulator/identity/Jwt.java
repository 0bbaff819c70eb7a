package io.dualsync.emulator.identity;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/**
 * Compact JSON Web Tokens (RFC 7519) signed with RS256 or PS256: just what the token endpoint and the
 * bearer check need. Stateless; safe from any thread.
 */
final class Jwt {

    /** A token split into its parts; nothing verified yet. */
    record Parsed(JsonObject header, JsonObject payload, byte[] signingInput, byte[] signature) {

        String alg() {
            return header.getValue("alg") instanceof String s ? s : null;
        }

        String text(String claim) {
            return payload.getValue(claim) instanceof String s ? s : null;
        }

        /** A NumericDate claim in seconds, or null when absent or not a number. */
        Long seconds(String claim) {
            return payload.getValue(claim) instanceof Number n ? n.longValue() : null;
        }
    }

    private Jwt() {
    }

    /** Splits and decodes a compact JWS; throws IllegalArgumentException when it is not one. */
    static Parsed parse(String token) {
        if (token == null) {
            throw new IllegalArgumentException("no token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw new IllegalArgumentException("not a compact JWS (three dot-separated parts)");
        }
        try {
            JsonObject header = new JsonObject(new String(decode(parts[0]), StandardCharsets.UTF_8));
            JsonObject payload = new JsonObject(new String(decode(parts[1]), StandardCharsets.UTF_8));
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            return new Parsed(header, payload, input, decode(parts[2]));
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("header or payload is not a JSON object", e);
        }
    }

    /** Signs header.payload with RS256 (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 section 3.3). */
    static String signRs256(JsonObject header, JsonObject payload, PrivateKey key) {
        String input = encode(header.encode().getBytes(StandardCharsets.UTF_8)) + "."
                + encode(payload.encode().getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + encode(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** True when the signature matches for the token's alg (RS256 or PS256 only; anything else is false). */
    static boolean verify(Parsed jwt, PublicKey key) {
        try {
            Signature s;
            if ("RS256".equals(jwt.alg())) {
                s = Signature.getInstance("SHA256withRSA");
            } else if ("PS256".equals(jwt.alg())) {
                // certificate-credentials.md: "Use PSS padding" (RFC 7518 section 3.5: SHA-256, MGF1, 32-byte salt).
                s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            } else {
                return false;
            }
            s.initVerify(key);
            s.update(jwt.signingInput());
            return s.verify(jwt.signature());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Decodes base64url, or plain base64 with or without padding: MSAL4J 1.26.1 writes certificate
     * thumbprints in plain base64, so thumbprint headers arrive in both alphabets.
     */
    static byte[] decode(String text) {
        String s = text.replace('-', '+').replace('_', '/');
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return Base64.getDecoder().decode(s.substring(0, end));
    }

    static byte[] sha1(byte[] data) {
        return digest("SHA-1", data);
    }

    static byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    private static byte[] digest(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is part of every JDK", e);
        }
    }
}
