package io.dualsync.emulator.identity;

import io.dualsync.emulator.Authenticator;
import io.dualsync.emulator.Caller;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Microsoft Entra ID stand-in each emulator serves on its own port: a client credentials token
 * endpoint, the OpenID Connect discovery document and the signing keys, plus the bearer check
 * ({@link Authenticator}) that {@link EmulatorContext#authGuard()} uses. Tokens are JWTs signed with a
 * key made once per process, for a resource named by its URL; this emulator accepts tokens for its own
 * base URL, whichever emulator of the process issued them (one Entra authority serves both services).
 *
 * <p>A development identity works out of the box, like Azurite's well-known account: tenant
 * {@code dualsync-dev}, client id {@code dualsync-dev}, secret {@code dualsync-dev-secret}
 * ({@code options.devTenant/devClientId/devClientSecret}); more applications come from
 * {@code options.clients}, with a secret and/or a PEM file holding certificates or RSA public keys.
 *
 * <p>Routes run on the emulator's event loop; {@link #verify} and {@link #tokenRequests()} may be
 * called from any thread.
 */
public final class Identity implements EmulatorModule, Authenticator {
    private final EmulatorContext ctx;
    private final SigningKey key = SigningKey.shared();
    private final Registry registry;
    private final Tokens tokens;
    private final TokenEndpoint tokenEndpoint;
    private final Clock clock;
    private final AtomicLong tokenRequests = new AtomicLong();

    public Identity(EmulatorContext ctx) {
        this(ctx, Clock.systemUTC());
    }

    /** With a clock of the test's choosing, to expire tokens without waiting. */
    Identity(EmulatorContext ctx, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
        this.registry = new Registry(ctx.options());
        this.tokens = new Tokens(key, registry, clock, ctx::baseUrl, ctx.options().tokenLifetimeSeconds);
        this.tokenEndpoint = new TokenEndpoint(registry, tokens, clock, ctx::baseUrl);
    }

    @Override
    public void mount(Router router) {
        router.post("/:tenant/oauth2/v2.0/token")
                .handler(BodyHandler.create(false).setBodyLimit(256 * 1024))
                .handler(rc -> {
                    tokenRequests.incrementAndGet();
                    tokenEndpoint.handle(rc);
                });
        router.get("/:tenant/v2.0/.well-known/openid-configuration").handler(this::openIdConfiguration);
        router.get("/:tenant/discovery/v2.0/keys").handler(this::keys);
    }

    /** How many requests reached the token endpoint, answered or refused. */
    public long tokenRequests() {
        return tokenRequests.get();
    }

    @Override
    public Caller verify(String bearerToken) {
        return tokens.verify(bearerToken);
    }

    /**
     * The challenge Dataverse sends with a 401: {@code Bearer authorization_uri=<authority>/oauth2/authorize,
     * resource_id=<environment URL>/}, URLs unquoted (MicrosoftDocs/dynamics-365-customer-engagement
     * ce/developer/walkthrough-multi-tenant-server-server-authentication.md, "Test the subscriber
     * connection"). Clients strip {@code /oauth2/authorize} to find the authority; here that is
     * the development tenant on this emulator.
     */
    @Override
    public String challenge() {
        String base = ctx.baseUrl();
        String tenant = ctx.options().devTenant == null || ctx.options().devTenant.isBlank() ? "organizations" : ctx.options().devTenant;
        return "Bearer authorization_uri=" + base + "/" + tenant + "/oauth2/authorize, resource_id=" + base + "/";
    }

    /**
     * entra-docs docs/identity-platform/v2-protocols-oidc.md ("Fetch the OpenID configuration document"):
     * endpoints on this emulator, issuer {@code <base>/<tenant id>/v2.0}. Unknown tenants get Entra's
     * AADSTS90002 answer.
     */
    private void openIdConfiguration(RoutingContext rc) {
        Registry.Tenant tenant = tenantOr400(rc);
        if (tenant == null) {
            return;
        }
        String base = ctx.baseUrl();
        String segment = rc.pathParam("tenant");
        JsonObject doc = new JsonObject()
                .put("token_endpoint", base + "/" + segment + "/oauth2/v2.0/token")
                .put("token_endpoint_auth_methods_supported", new JsonArray().add("client_secret_post").add("private_key_jwt")
                        .add("client_secret_basic"))
                .put("jwks_uri", base + "/" + segment + "/discovery/v2.0/keys")
                .put("response_modes_supported", new JsonArray().add("query").add("fragment").add("form_post"))
                .put("subject_types_supported", new JsonArray().add("pairwise"))
                .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
                .put("response_types_supported", new JsonArray().add("code").add("id_token").add("code id_token").add("id_token token"))
                .put("scopes_supported", new JsonArray().add("openid").add("profile").add("email").add("offline_access"))
                .put("grant_types_supported", new JsonArray().add("client_credentials"))
                .put("issuer", tokens.issuer(tenant))
                .put("request_uri_parameter_supported", false)
                .put("authorization_endpoint", base + "/" + segment + "/oauth2/v2.0/authorize")
                .put("tenant_region_scope", "WW")
                .put("cloud_instance_name", "microsoftonline.com");
        rc.response().putHeader("Content-Type", "application/json; charset=utf-8").end(doc.encode());
    }

    /** The signing keys as a JWK set (the document's {@code jwks_uri}). */
    private void keys(RoutingContext rc) {
        Registry.Tenant tenant = tenantOr400(rc);
        if (tenant == null) {
            return;
        }
        JsonObject jwks = new JsonObject().put("keys", new JsonArray().add(key.jwk(tokens.issuer(tenant))));
        rc.response().putHeader("Content-Type", "application/json; charset=utf-8").end(jwks.encode());
    }

    private Registry.Tenant tenantOr400(RoutingContext rc) {
        Registry.Tenant tenant = registry.tenant(rc.pathParam("tenant"));
        if (tenant == null) {
            AadError e = AadError.invalidRequest(90002, "Tenant '" + rc.pathParam("tenant") + "' not found. Check to make sure "
                    + "you have the correct tenant ID and are signing into the correct cloud.");
            String id = UUID.randomUUID().toString();
            rc.response().setStatusCode(400).putHeader("Content-Type", "application/json; charset=utf-8")
                    .end(e.toJson(id, id, clock.instant()).encode());
        }
        return tenant;
    }
}
