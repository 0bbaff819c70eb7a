package io.dualsync.emulator.identity;

import io.dualsync.emulator.Caller;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Issues and checks this emulator's access tokens. Claims follow entra-docs
 * docs/identity-platform/access-token-claims-reference.md for an app-only token: {@code aud} (the
 * resource as requested), {@code iss}, {@code iat}/{@code nbf}/{@code exp}, {@code tid}, {@code oid} and
 * {@code sub} (the application's service principal; here the Dataverse application user id of
 * {@link Caller#forClient}), {@code idtyp=app}, {@code uti}, {@code ver}. Both client-id claims are
 * present, {@code appid}/{@code appidacr} (v1.0 tokens, what Dataverse gets) and {@code azp}/{@code azpacr}
 * (v2.0), so a reader of either kind finds them. Any thread: apart from the clock, the only state is a
 * concurrent cache of tokens already verified.
 */
final class Tokens {
    private static final long NBF_SKEW_SECONDS = 300;
    /** Tokens remembered at most; a client keeps using one token until it nears expiry, so few are live at once. */
    static final int MAX_CACHED = 4096;

    /**
     * What a token proved once its signature, issuer, tenant and application were checked: only the time
     * window and the audience (against the base URL it was checked for) are left to check on each use.
     */
    private record Verified(Caller caller, long exp, Long nbf, String audienceBase) {
    }

    /**
     * Verified tokens by their text. Checking the RS256 signature and decoding the JSON parts costs tens of
     * microseconds, which every API request would pay again for the same token; the text of a token fixes
     * all its claims and the registry and signing key never change, so the outcome of those checks cannot
     * change either. Only successful verifications are kept; expired entries are dropped when the cache fills.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    /** The token verified last: a client sends the same one again and again, and comparing is cheaper than hashing it. */
    private volatile Last last;

    private record Last(String token, Verified verified) {
    }
    private final SigningKey key;
    private final Registry registry;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    private final int lifetimeSeconds;

    Tokens(SigningKey key, Registry registry, Clock clock, Supplier<String> baseUrl, int lifetimeSeconds) {
        this.key = key;
        this.registry = registry;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.lifetimeSeconds = lifetimeSeconds;
    }

    int lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** {@code <base>/<tenant id>/v2.0}: like Entra's {@code https://login.microsoftonline.com/{tid}/v2.0}. */
    String issuer(Registry.Tenant tenant) {
        return baseUrl.get() + "/" + tenant.id() + "/v2.0";
    }

    /**
     * An access token for the application and resource.
     *
     * @param clientAuth "1" for a client secret, "2" for a certificate (appidacr/azpacr)
     */
    String issue(Registry.App app, String resource, String clientAuth) {
        long now = clock.instant().getEpochSecond();
        String oid = Caller.forClient(app.tenant().name(), app.clientId()).userId().toString();
        JsonObject header = new JsonObject().put("typ", "JWT").put("alg", "RS256").put("x5t", key.kid).put("kid", key.kid);
        JsonObject claims = new JsonObject()
                .put("aud", resource)
                .put("iss", issuer(app.tenant()))
                .put("iat", now)
                .put("nbf", now)
                .put("exp", now + lifetimeSeconds)
                .put("appid", app.clientId())
                .put("appidacr", clientAuth)
                .put("azp", app.clientId())
                .put("azpacr", clientAuth)
                .put("idp", issuer(app.tenant()))
                .put("idtyp", "app")
                .put("oid", oid)
                .put("sub", oid)
                .put("tid", app.tenant().id().toString())
                .put("uti", UUID.randomUUID().toString())
                .put("ver", "2.0");
        return Jwt.signRs256(header, claims, key.pair.getPrivate());
    }

    /**
     * The caller a token stands for, or null unless it is one of ours (signed with the process's key,
     * issued by an emulator of this process for a known tenant), current ({@code nbf <= now < exp}) and
     * for this emulator's resource (its base URL, with or without a trailing slash), as a resource must
     * check (entra-docs docs/identity-platform/access-tokens.md, "Validate tokens").
     */
    Caller verify(String token) {
        if (token == null) {
            return null;
        }
        long now = clock.instant().getEpochSecond();
        Last l = last;
        Verified known = l != null && l.token().equals(token) ? l.verified() : verified.get(token);
        if (known != null) {
            if (l == null || l.verified() != known) {
                last = new Last(token, known);
            }
            return current(known.exp(), known.nbf(), now) && known.audienceBase().equals(trimSlash(baseUrl.get()))
                    ? known.caller() : null;
        }
        Verified v = check(token, now);
        if (v == null) {
            return null;
        }
        remember(token, v, now);
        last = new Last(token, v);
        return v.caller();
    }

    /**
     * Whether a token is usable at {@code now}: exp is strict (no clock skew allowance) so a client's
     * refresh-before-expiry logic is exercised; nbf allows the usual 5 minutes, since another emulator of
     * the process may have issued the token.
     */
    private static boolean current(long exp, Long nbf, long now) {
        return now < exp && (nbf == null || now + NBF_SKEW_SECONDS >= nbf);
    }

    private void remember(String token, Verified v, long now) {
        if (verified.size() >= MAX_CACHED) {
            verified.values().removeIf(e -> now >= e.exp());
            if (verified.size() >= MAX_CACHED) {
                verified.clear();
            }
        }
        verified.put(token, v);
    }

    /** The full check of a token not seen before; null when it is not acceptable now. */
    private Verified check(String token, long now) {
        Jwt.Parsed jwt;
        try {
            jwt = Jwt.parse(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!"RS256".equals(jwt.alg()) || !key.kid.equals(jwt.header().getValue("kid")) || !Jwt.verify(jwt, key.publicKey())) {
            return null;
        }
        Long exp = jwt.seconds("exp");
        Long nbf = jwt.seconds("nbf");
        if (exp == null || !current(exp, nbf, now)) {
            return null;
        }
        String aud = jwt.text("aud");
        String base = trimSlash(baseUrl.get());
        if (aud == null || !trimSlash(aud).equals(base)) {
            return null;
        }
        Registry.Tenant tenant = registry.tenant(jwt.text("tid"));
        String appId = jwt.text("appid");
        String iss = jwt.text("iss");
        String issSuffix = tenant == null ? null : "/" + tenant.id() + "/v2.0";
        if (appId == null || iss == null || issSuffix == null || !iss.endsWith(issSuffix)
                || !TokenEndpoint.isEmulatorResource(iss.substring(0, iss.length() - issSuffix.length()))) {
            return null;
        }
        return new Verified(Caller.forClient(tenant.name(), appId), exp, nbf, base);
    }

    static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
