package io.dualsync.emulator.identity;

import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;

/** Builds and reads JWTs in tests, independently of the emulator's own code. */
final class TestJwts {
    private TestJwts() {
    }

    /** A JWS signed RS256 or PS256 with the given key. */
    static String sign(String alg, JsonObject header, JsonObject claims, PrivateKey key) throws Exception {
        header.put("alg", alg).put("typ", "JWT");
        String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
        Signature s;
        if (alg.equals("PS256")) {
            s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        } else {
            s = Signature.getInstance("SHA256withRSA");
        }
        s.initSign(key);
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    static JsonObject header(String jwt) {
        return part(jwt, 0);
    }

    static JsonObject claims(String jwt) {
        return part(jwt, 1);
    }

    private static JsonObject part(String jwt, int i) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
