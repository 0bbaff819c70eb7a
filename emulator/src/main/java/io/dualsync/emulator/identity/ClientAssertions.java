package io.dualsync.emulator.identity;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a certificate-signed client assertion (entra-docs docs/identity-platform/certificate-credentials.md,
 * "Assertion format"): a JWT signed RS256 or PS256 with a registered key, header {@code x5t} or
 * {@code x5t#S256} naming the certificate, {@code iss} = {@code sub} = the client id, {@code aud} = the
 * token endpoint, and {@code nbf}/{@code exp} around now. Stateless; any thread.
 *
 * <p>Deliberate allowances: a key registered as a bare public key (no certificate, so no thumbprint to
 * match) is tried by signature, though the thumbprint header must still be present; and the audience may
 * name either this emulator's token endpoint or {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token},
 * because MSAL pointed at a login.microsoftonline.com authority and forwarded here signs for that one.
 */
final class ClientAssertions {
    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** Client clocks run a little ahead; accept an assertion whose nbf is up to this far in the future. */
    private static final long NBF_SKEW_SECONDS = 300;

    private ClientAssertions() {
    }

    /** Returns normally when the assertion authenticates the application; otherwise throws the Entra error. */
    static void check(String assertion, Registry.App app, String baseUrl, Instant now) {
        Jwt.Parsed jwt;
        try {
            jwt = Jwt.parse(assertion);
        } catch (IllegalArgumentException e) {
            throw AadError.invalidClient(50027, "JWT token is invalid or malformed.");
        }
        String x5t = jwt.header().getValue("x5t") instanceof String s ? s : null;
        String x5t256 = jwt.header().getValue("x5t#S256") instanceof String s ? s : null;
        if (x5t == null && x5t256 == null) {
            throw AadError.invalidClient(700027, "Client assertion contains an invalid signature. "
                    + "[Reason - The key was not found., Thumbprint of key used by client: '']");
        }
        List<Registry.Key> candidates = candidates(app, x5t, x5t256);
        if (candidates.isEmpty()) {
            throw AadError.invalidClient(700027, "Client assertion contains an invalid signature. [Reason - The key was not found., "
                    + "Thumbprint of key used by client: '" + (x5t256 != null ? x5t256 : x5t) + "']");
        }
        if (candidates.stream().noneMatch(k -> Jwt.verify(jwt, k.publicKey()))) {
            throw AadError.invalidClient(700027, "Client assertion failed signature validation. "
                    + "[Reason - The provided signature value did not match the expected signature value.]");
        }
        if (!app.clientId().equalsIgnoreCase(jwt.text("iss")) || !app.clientId().equalsIgnoreCase(jwt.text("sub"))) {
            throw AadError.invalidClient(700021, "Client assertion application identifier doesn't match 'client_id' parameter. "
                    + "Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials.");
        }
        String aud = jwt.text("aud");
        if (aud == null || !audienceMatches(aud, app.tenant(), baseUrl)) {
            throw AadError.invalidClient(50013, "Assertion audience claim does not match the required value. The audience in the "
                    + "assertion was '" + aud + "' and the expected audience is '" + baseUrl + "/" + app.tenant().name()
                    + "/oauth2/v2.0/token'.");
        }
        long t = now.getEpochSecond();
        Long exp = jwt.seconds("exp");
        Long nbf = jwt.seconds("nbf");
        if (exp == null || t >= exp || (nbf != null && t + NBF_SKEW_SECONDS < nbf)) {
            throw AadError.invalidClient(700024, "Client assertion is not within its valid time range. Current time: " + now
                    + ", assertion valid from " + (nbf == null ? "-" : Instant.ofEpochSecond(nbf))
                    + ", expiry time of assertion " + (exp == null ? "-" : Instant.ofEpochSecond(exp)) + ".");
        }
    }

    private static List<Registry.Key> candidates(Registry.App app, String x5t, String x5t256) {
        byte[] sha1 = thumbprint(x5t);
        byte[] sha256 = thumbprint(x5t256);
        List<Registry.Key> out = new ArrayList<>();
        for (Registry.Key k : app.keys()) {
            if (!k.isCertificate()
                    || (sha256 != null && MessageDigest.isEqual(sha256, k.sha256Thumbprint()))
                    || (sha1 != null && MessageDigest.isEqual(sha1, k.sha1Thumbprint()))) {
                out.add(k);
            }
        }
        return out;
    }

    private static byte[] thumbprint(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Jwt.decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The token endpoint of the same tenant (by name or id), on this emulator or on the public cloud authority. */
    private static boolean audienceMatches(String aud, Registry.Tenant tenant, String baseUrl) {
        try {
            URI uri = new URI(aud);
            URI base = new URI(baseUrl);
            boolean here = base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                    && base.getPort() == uri.getPort();
            boolean cloud = "https".equalsIgnoreCase(uri.getScheme()) && "login.microsoftonline.com".equalsIgnoreCase(uri.getHost())
                    && (uri.getPort() == -1 || uri.getPort() == 443);
            String[] path = uri.getPath() == null ? new String[0] : Tokens.trimSlash(uri.getPath()).split("/");
            return (here || cloud) && path.length == 5 && path[0].isEmpty()
                    && (path[1].equalsIgnoreCase(tenant.name()) || path[1].equalsIgnoreCase(tenant.id().toString()))
                    && "oauth2".equals(path[2]) && "v2.0".equals(path[3]) && "token".equals(path[4]);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
