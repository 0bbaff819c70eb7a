package io.dualsync.emulator.identity;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code POST /{tenant}/oauth2/v2.0/token}: the client credentials grant of entra-docs
 * docs/identity-platform/v2-oauth2-client-creds-grant-flow.md ("Get a token"), with a client secret
 * (form field, or HTTP Basic per RFC 6749 section 2.3.1) or a certificate-signed client assertion.
 * Runs on the emulator's event loop.
 */
final class TokenEndpoint {
    /** OIDC scopes MSAL and others add to every request; Entra ignores them for app-only tokens. */
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final String DEFAULT_SUFFIX = "/.default";

    private final Registry registry;
    private final Tokens tokens;
    private final Clock clock;
    private final Supplier<String> baseUrl;

    TokenEndpoint(Registry registry, Tokens tokens, Clock clock, Supplier<String> baseUrl) {
        this.registry = registry;
        this.tokens = tokens;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    void handle(RoutingContext rc) {
        // Entra uses the client's client-request-id as the correlation id of its answer.
        String correlationId = rc.request().getHeader("client-request-id");
        if (correlationId == null || correlationId.isBlank()) {
            correlationId = UUID.randomUUID().toString();
        }
        rc.response().putHeader("Cache-Control", "no-store, no-cache").putHeader("Pragma", "no-cache")
                .putHeader("client-request-id", correlationId)
                .putHeader("Content-Type", "application/json; charset=utf-8");
        try {
            JsonObject body = token(rc);
            rc.response().setStatusCode(200).end(body.encode());
        } catch (AadError e) {
            String traceId = UUID.randomUUID().toString();
            rc.response().setStatusCode(e.status).putHeader("x-ms-request-id", traceId)
                    .end(e.toJson(traceId, correlationId, clock.instant()).encode());
        }
    }

    private JsonObject token(RoutingContext rc) {
        Registry.Tenant tenant = registry.tenant(rc.pathParam("tenant"));
        if (tenant == null) {
            throw AadError.invalidRequest(90002, "Tenant '" + rc.pathParam("tenant") + "' not found. Check to make sure you have "
                    + "the correct tenant ID and are signing into the correct cloud.");
        }
        Map<String, String> form = form(rc);
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw AadError.missingParameter("grant_type");
        }
        if (!"client_credentials".equals(grantType)) {
            throw new AadError(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '" + grantType + "'.");
        }
        String clientId = form.get("client_id");
        String secret = form.get("client_secret");
        String basic = rc.request().getHeader("Authorization");
        if (basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] pair = basicCredentials(basic.substring(6).trim());
            if (clientId != null && !clientId.equals(pair[0])) {
                throw AadError.invalidRequest(90023, "The client_id in the request body does not match the one in the Authorization header.");
            }
            clientId = pair[0];
            secret = pair[1];
        }
        if (clientId == null) {
            throw AadError.missingParameter("client_id");
        }
        String scope = form.get("scope");
        if (scope == null) {
            throw AadError.missingParameter("scope");
        }
        Registry.App app = registry.app(tenant, clientId);
        if (app == null) {
            throw new AadError(400, "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was not found in "
                    + "the directory '" + tenant.name() + "'. This can happen if the application has not been installed by the "
                    + "administrator of the tenant or consented to by any user in the tenant. You may have sent your "
                    + "authentication request to the wrong tenant.");
        }
        String clientAuth = authenticate(app, form, secret);
        String resource = resource(scope, tenant);
        return new JsonObject()
                .put("token_type", "Bearer")
                .put("expires_in", tokens.lifetimeSeconds())
                .put("ext_expires_in", tokens.lifetimeSeconds())
                .put("access_token", tokens.issue(app, resource, clientAuth));
    }

    /** Checks the client credential; returns "1" (secret) or "2" (certificate) for appidacr. */
    private String authenticate(Registry.App app, Map<String, String> form, String secret) {
        String assertionType = form.get("client_assertion_type");
        String assertion = form.get("client_assertion");
        if (assertionType != null || assertion != null) {
            if (!ClientAssertions.JWT_BEARER.equals(assertionType)) {
                throw AadError.invalidRequest(90023, "The client_assertion_type must be '" + ClientAssertions.JWT_BEARER + "'.");
            }
            if (assertion == null) {
                throw AadError.missingParameter("client_assertion");
            }
            ClientAssertions.check(assertion, app, baseUrl.get(), clock.instant());
            return "2";
        }
        if (secret == null) {
            throw AadError.invalidClient(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        }
        byte[] given = secret.getBytes(StandardCharsets.UTF_8);
        if (app.secrets().stream().noneMatch(s -> MessageDigest.isEqual(s.getBytes(StandardCharsets.UTF_8), given))) {
            throw AadError.invalidClient(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the "
                    + "client secret value, not the client secret ID, for a secret added to app '" + app.clientId() + "'.");
        }
        return "1";
    }

    /**
     * The resource of a client credentials scope: exactly one {@code <resource>/.default} (the OIDC scopes
     * aside), for a resource the tenant knows: either emulator (a loopback http(s) URL, any port, with or
     * without a trailing slash, hence {@code http://127.0.0.1:7072//.default} too).
     */
    private static String resource(String scope, Registry.Tenant tenant) {
        List<String> scopes = new ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!s.isEmpty() && !OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                scopes.add(s);
            }
        }
        if (scopes.size() != 1 || !scopes.get(0).endsWith(DEFAULT_SUFFIX)) {
            throw new AadError(400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not valid. "
                    + "The scope " + scope + " is not valid. Client credential flows must have exactly one scope value with "
                    + "/.default suffixed to the resource identifier (application ID URI).");
        }
        String resource = scopes.get(0).substring(0, scopes.get(0).length() - DEFAULT_SUFFIX.length());
        if (!isEmulatorResource(resource)) {
            throw new AadError(400, "invalid_resource", 500011, "The resource principal named " + resource + " was not found in the "
                    + "tenant named " + tenant.name() + ". This can happen if the application has not been installed by the "
                    + "administrator of the tenant or consented to by any user in the tenant. You might have sent your "
                    + "authentication request to the wrong tenant.");
        }
        return resource;
    }

    static boolean isEmulatorResource(String resource) {
        try {
            URI uri = new URI(resource);
            String host = uri.getHost();
            String path = uri.getPath() == null ? "" : uri.getPath();
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && host != null && (host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost") || host.equals("[::1]"))
                    && (path.isEmpty() || path.equals("/")) && uri.getQuery() == null && uri.getFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** The urlencoded form body (the token endpoint takes application/x-www-form-urlencoded only). */
    private static Map<String, String> form(RoutingContext rc) {
        Map<String, String> out = new HashMap<>();
        String type = rc.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded") || rc.body().buffer() == null) {
            return out;
        }
        for (String pair : rc.body().asString(StandardCharsets.UTF_8.name()).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw AadError.invalidRequest(90004, "The request isn't properly formatted.");
            }
        }
        return out;
    }

    /** RFC 6749 section 2.3.1: base64 of form-urlencoded client id and secret joined by a colon. */
    private static String[] basicCredentials(String encoded) {
        try {
            String text = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("no colon");
            }
            return new String[] {URLDecoder.decode(text.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(text.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw AadError.invalidRequest(90004, "The request isn't properly formatted: the Authorization header does not carry "
                    + "Basic client credentials.");
        }
    }
}
