package io.dualsync.emulator.identity;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity module over real HTTP: token endpoint, discovery, and the bearer guard of a protected route. */
class IdentityIT {
    private static final String DEV_TENANT = "dualsync-dev";
    private static final String DEV_CLIENT = "dualsync-dev";
    private static final String DEV_SECRET = "dualsync-dev-secret";

    private static Vertx vertx;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<EmulatorServer> servers = new ArrayList<>();

    @TempDir
    Path dir;

    /** One running emulator: its identity module and a protected {@code /api/whoami}. */
    record Running(EmulatorServer server, Identity identity, TestClock clock) {
        String base() {
            return server.baseUrl();
        }

        String tokenUrl(String tenant) {
            return base() + "/" + tenant + "/oauth2/v2.0/token";
        }
    }

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        await(vertx.close());
    }

    @AfterEach
    void stopServers() throws Exception {
        for (EmulatorServer s : servers) {
            await(s.close());
        }
    }

    private Running start(Consumer<EmulatorOptions> configure) throws Exception {
        EmulatorOptions options = new EmulatorOptions();
        configure.accept(options);
        EmulatorContext ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.DATAVERSE);
        TestClock clock = new TestClock();
        Identity identity = new Identity(ctx, clock);
        ctx.authenticator(identity);
        EmulatorModule api = router -> {
            router.route("/api/*").handler(ctx.authGuard());
            router.get("/api/whoami").handler(rc -> {
                Caller c = EmulatorContext.caller(rc);
                rc.json(new JsonObject().put("tenant", c.tenant()).put("clientId", c.clientId()).put("userId", c.userId().toString()));
            });
        };
        EmulatorServer server = await(EmulatorServer.start(ctx, 0, List.of(identity, api)));
        servers.add(server);
        return new Running(server, identity, clock);
    }

    private Running start() throws Exception {
        return start(o -> {
        });
    }

    // ---- client secret ----

    @Test
    void devIdentity_secret_getsTokenThatOpensTheApi() throws Exception {
        Running emu = start();

        HttpResponse<String> r = postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "client_id", DEV_CLIENT, "client_secret", DEV_SECRET, "scope", emu.base() + "/.default"), null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("token_type")).isEqualTo("Bearer");
        assertThat(body.getInteger("expires_in")).isEqualTo(3599);
        assertThat(body.getInteger("ext_expires_in")).isEqualTo(3599);
        String token = body.getString("access_token");
        JsonObject claims = TestJwts.claims(token);
        UUID appUser = Caller.forClient(DEV_TENANT, DEV_CLIENT).userId();
        assertThat(claims.getString("aud")).isEqualTo(emu.base());
        assertThat(claims.getString("appid")).isEqualTo(DEV_CLIENT);
        assertThat(claims.getString("azp")).isEqualTo(DEV_CLIENT);
        assertThat(claims.getString("appidacr")).isEqualTo("1");
        assertThat(claims.getString("oid")).isEqualTo(appUser.toString());
        assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(3599);
        assertThat(claims.getString("iss")).isEqualTo(emu.base() + "/" + claims.getString("tid") + "/v2.0");

        HttpResponse<String> me = get(emu.base() + "/api/whoami", token);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(me.body()).getString("userId")).isEqualTo(appUser.toString());
        assertThat(new JsonObject(me.body()).getString("clientId")).isEqualTo(DEV_CLIENT);
        assertThat(emu.identity().tokenRequests()).isEqualTo(1);
    }

    @Test
    void basicClientAuth_andResourceWithTrailingSlash_work() throws Exception {
        Running emu = start();
        String basic = Base64.getEncoder().encodeToString((DEV_CLIENT + ":" + DEV_SECRET).getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> r = postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "scope", emu.base() + "//.default"), basic);

        assertThat(r.statusCode()).isEqualTo(200);
        String token = new JsonObject(r.body()).getString("access_token");
        assertThat(TestJwts.claims(token).getString("aud")).isEqualTo(emu.base() + "/");
        assertThat(get(emu.base() + "/api/whoami", token).statusCode()).isEqualTo(200);
    }

    @Test
    void tenantById_isTheSameTenant() throws Exception {
        Running emu = start();
        String tid = TestJwts.claims(token(emu)).getString("tid");

        HttpResponse<String> r = postForm(emu.tokenUrl(tid), secretForm(emu.base() + "/.default", DEV_SECRET), null);

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongSecret_isInvalidClient7000215_inTheAadErrorShape() throws Exception {
        Running emu = start();
        String correlation = UUID.randomUUID().toString();

        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emu.tokenUrl(DEV_TENANT)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("client-request-id", correlation)
                .POST(HttpRequest.BodyPublishers.ofString(form(secretForm(emu.base() + "/.default", "not-the-secret")))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(401);
        JsonObject e = new JsonObject(r.body());
        assertThat(e.getString("error")).isEqualTo("invalid_client");
        assertThat(e.getString("error_description")).startsWith("AADSTS7000215: Invalid client secret provided.")
                .contains("Trace ID: " + e.getString("trace_id")).contains("Correlation ID: " + correlation);
        assertThat(e.getJsonArray("error_codes").getList()).containsExactly(7000215);
        assertThat(e.getString("correlation_id")).isEqualTo(correlation);
        assertThat(e.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void unknownApp_wrongTenant_unknownTenant_areRefused() throws Exception {
        Path pem = Files.writeString(dir.resolve("k.pem"), new TestCertificates("x").publicKeyPem());
        Running emu = start(o -> o.clients.add(new EmulatorOptions.Client("contoso", "app-1", "s3cret", pem)));

        JsonObject unknownApp = new JsonObject(postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "client_id", "nobody", "client_secret", "x", "scope", emu.base() + "/.default"), null).body());
        assertThat(unknownApp.getString("error")).isEqualTo("unauthorized_client");
        assertThat(unknownApp.getString("error_description")).startsWith("AADSTS700016: Application with identifier 'nobody' was not found");

        // app-1 is registered in contoso, not in the development tenant
        HttpResponse<String> wrongTenant = postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "client_id", "app-1", "client_secret", "s3cret", "scope", emu.base() + "/.default"), null);
        assertThat(wrongTenant.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(wrongTenant.body()).getJsonArray("error_codes").getList()).containsExactly(700016);
        assertThat(postForm(emu.tokenUrl("contoso"), Map.of("grant_type", "client_credentials",
                "client_id", "app-1", "client_secret", "s3cret", "scope", emu.base() + "/.default"), null).statusCode()).isEqualTo(200);

        HttpResponse<String> noTenant = postForm(emu.tokenUrl("fabrikam"), secretForm(emu.base() + "/.default", DEV_SECRET), null);
        assertThat(noTenant.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(noTenant.body()).getString("error_description")).startsWith("AADSTS90002: Tenant 'fabrikam' not found.");
    }

    @Test
    void scopeMustBeOneResourceDotDefault_andAKnownResource() throws Exception {
        Running emu = start();

        HttpResponse<String> delegated = postForm(emu.tokenUrl(DEV_TENANT), secretForm(emu.base() + "/user_impersonation", DEV_SECRET), null);
        assertThat(delegated.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(delegated.body()).getString("error")).isEqualTo("invalid_scope");
        assertThat(new JsonObject(delegated.body()).getString("error_description")).startsWith("AADSTS70011:");

        HttpResponse<String> two = postForm(emu.tokenUrl(DEV_TENANT),
                secretForm(emu.base() + "/.default http://localhost:1/.default", DEV_SECRET), null);
        assertThat(new JsonObject(two.body()).getJsonArray("error_codes").getList()).containsExactly(70011);

        HttpResponse<String> graph = postForm(emu.tokenUrl(DEV_TENANT), secretForm("https://graph.microsoft.com/.default", DEV_SECRET), null);
        assertThat(graph.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(graph.body()).getString("error")).isEqualTo("invalid_resource");
        assertThat(new JsonObject(graph.body()).getString("error_description")).startsWith("AADSTS500011:");

        // MSAL and others add the OIDC scopes; they do not count as a second resource.
        assertThat(postForm(emu.tokenUrl(DEV_TENANT), secretForm(emu.base() + "/.default openid profile offline_access", DEV_SECRET),
                null).statusCode()).isEqualTo(200);
    }

    @Test
    void otherGrantTypes_andMissingParameters_areRefused() throws Exception {
        Running emu = start();

        JsonObject password = new JsonObject(postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "password",
                "client_id", DEV_CLIENT, "scope", emu.base() + "/.default"), null).body());
        assertThat(password.getString("error")).isEqualTo("unsupported_grant_type");
        assertThat(password.getJsonArray("error_codes").getList()).containsExactly(70003);

        JsonObject noScope = new JsonObject(postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "client_id", DEV_CLIENT, "client_secret", DEV_SECRET), null).body());
        assertThat(noScope.getString("error")).isEqualTo("invalid_request");
        assertThat(noScope.getString("error_description")).startsWith("AADSTS900144: The request body must contain the following parameter: 'scope'.");

        JsonObject noCredential = new JsonObject(postForm(emu.tokenUrl(DEV_TENANT), Map.of("grant_type", "client_credentials",
                "client_id", DEV_CLIENT, "scope", emu.base() + "/.default"), null).body());
        assertThat(noCredential.getString("error")).isEqualTo("invalid_client");
    }

    // ---- certificate credentials ----

    @Test
    void publicKeyRegistration_signedAssertion_getsToken() throws Exception {
        TestCertificates cred = new TestCertificates("app-cert");
        Path pem = Files.writeString(dir.resolve("app.pem"), cred.publicKeyPem());
        Running emu = start(o -> o.clients.add(new EmulatorOptions.Client("contoso", "app-cert", null, pem)));
        String aud = emu.tokenUrl("contoso");

        String rs256 = TestJwts.sign("RS256", new JsonObject().put("x5t", cred.x5t()), assertionClaims("app-cert", aud, 0, 600),
                cred.keys.getPrivate());
        HttpResponse<String> r = postForm(aud, assertionForm("app-cert", rs256, emu.base() + "/.default"), null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String token = new JsonObject(r.body()).getString("access_token");
        assertThat(TestJwts.claims(token).getString("appidacr")).isEqualTo("2");
        JsonObject me = new JsonObject(get(emu.base() + "/api/whoami", token).body());
        assertThat(me.getString("clientId")).isEqualTo("app-cert");
        assertThat(me.getString("tenant")).isEqualTo("contoso");

        // PS256 with x5t#S256, as certificate-credentials.md now describes
        String ps256 = TestJwts.sign("PS256", new JsonObject().put("x5t#S256", cred.x5tS256()),
                assertionClaims("app-cert", aud, 0, 600), cred.keys.getPrivate());
        assertThat(postForm(aud, assertionForm("app-cert", ps256, emu.base() + "/.default"), null).statusCode()).isEqualTo(200);
    }

    @Test
    void certificateRegistration_matchesTheThumbprint() throws Exception {
        TestCertificates cred = new TestCertificates("app-cert");
        TestCertificates other = new TestCertificates("other");
        Path pem = Files.writeString(dir.resolve("app.crt"), cred.certificatePem());
        Running emu = start(o -> o.clients.add(new EmulatorOptions.Client("contoso", "app-cert", null, pem)));
        String aud = emu.tokenUrl("contoso");

        String good = TestJwts.sign("RS256", new JsonObject().put("x5t", cred.x5t()), assertionClaims("app-cert", aud, 0, 600),
                cred.keys.getPrivate());
        assertThat(postForm(aud, assertionForm("app-cert", good, emu.base() + "/.default"), null).statusCode()).isEqualTo(200);

        String unknownCert = TestJwts.sign("RS256", new JsonObject().put("x5t", other.x5t()), assertionClaims("app-cert", aud, 0, 600),
                other.keys.getPrivate());
        JsonObject e = new JsonObject(postForm(aud, assertionForm("app-cert", unknownCert, emu.base() + "/.default"), null).body());
        assertThat(e.getString("error")).isEqualTo("invalid_client");
        assertThat(e.getString("error_description")).startsWith("AADSTS700027:").contains("The key was not found");

        String forged = TestJwts.sign("RS256", new JsonObject().put("x5t", cred.x5t()), assertionClaims("app-cert", aud, 0, 600),
                other.keys.getPrivate());
        assertThat(new JsonObject(postForm(aud, assertionForm("app-cert", forged, emu.base() + "/.default"), null).body())
                .getString("error_description")).startsWith("AADSTS700027: Client assertion failed signature validation.");
    }

    @Test
    void assertion_expired_wrongAudience_wrongIssuer_areRefused() throws Exception {
        TestCertificates cred = new TestCertificates("app-cert");
        Path pem = Files.writeString(dir.resolve("app.pem"), cred.publicKeyPem());
        Running emu = start(o -> o.clients.add(new EmulatorOptions.Client("contoso", "app-cert", null, pem)));
        String aud = emu.tokenUrl("contoso");
        JsonObject x5t = new JsonObject().put("x5t", cred.x5t());

        String expired = TestJwts.sign("RS256", x5t.copy(), assertionClaims("app-cert", aud, -1200, -600), cred.keys.getPrivate());
        HttpResponse<String> r = postForm(aud, assertionForm("app-cert", expired, emu.base() + "/.default"), null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(r.body()).getJsonArray("error_codes").getList()).containsExactly(700024);

        String otherAud = TestJwts.sign("RS256", x5t.copy(), assertionClaims("app-cert", "https://example.com/token", 0, 600),
                cred.keys.getPrivate());
        assertThat(new JsonObject(postForm(aud, assertionForm("app-cert", otherAud, emu.base() + "/.default"), null).body())
                .getJsonArray("error_codes").getList()).containsExactly(50013);

        // the public cloud's token endpoint for the same tenant is accepted (MSAL signs for its authority)
        String cloudAud = TestJwts.sign("RS256", x5t.copy(),
                assertionClaims("app-cert", "https://login.microsoftonline.com/contoso/oauth2/v2.0/token", 0, 600), cred.keys.getPrivate());
        assertThat(postForm(aud, assertionForm("app-cert", cloudAud, emu.base() + "/.default"), null).statusCode()).isEqualTo(200);

        String otherIss = TestJwts.sign("RS256", x5t.copy(), assertionClaims("someone-else", aud, 0, 600), cred.keys.getPrivate());
        assertThat(new JsonObject(postForm(aud, assertionForm("app-cert", otherIss, emu.base() + "/.default"), null).body())
                .getString("error")).isEqualTo("invalid_client");

        String noThumbprint = TestJwts.sign("RS256", new JsonObject(), assertionClaims("app-cert", aud, 0, 600), cred.keys.getPrivate());
        assertThat(postForm(aud, assertionForm("app-cert", noThumbprint, emu.base() + "/.default"), null).statusCode()).isEqualTo(401);

        assertThat(postForm(aud, assertionForm("app-cert", "not.a-jwt", emu.base() + "/.default"), null).statusCode()).isEqualTo(401);
    }

    // ---- the bearer guard ----

    @Test
    void missingOrMalformedToken_is401WithDataverseStyleChallenge() throws Exception {
        Running emu = start();

        HttpResponse<String> none = get(emu.base() + "/api/whoami", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer authorization_uri=" + emu.base() + "/dualsync-dev/oauth2/authorize, resource_id=" + emu.base() + "/");

        assertThat(get(emu.base() + "/api/whoami", "abc.def.ghi").statusCode()).isEqualTo(401);
        assertThat(get(emu.base() + "/api/whoami", "garbage").statusCode()).isEqualTo(401);
    }

    @Test
    void tokenForAnotherResource_is401_whoeverIssuedIt() throws Exception {
        Running dataverse = start();
        Running fo = start();

        // issued by this emulator, for the other emulator's resource
        String forFo = new JsonObject(postForm(dataverse.tokenUrl(DEV_TENANT), secretForm(fo.base() + "/.default", DEV_SECRET), null)
                .body()).getString("access_token");
        HttpResponse<String> r = get(dataverse.base() + "/api/whoami", forFo);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer authorization_uri="));

        // issued by the other emulator, for its own resource
        String foOwn = token(fo);
        assertThat(get(fo.base() + "/api/whoami", foOwn).statusCode()).isEqualTo(200);
        assertThat(get(dataverse.base() + "/api/whoami", foOwn).statusCode()).isEqualTo(401);

        // one authority for both services: the other emulator's token endpoint can issue this one's token
        String fromFo = new JsonObject(postForm(fo.tokenUrl(DEV_TENANT), secretForm(dataverse.base() + "/.default", DEV_SECRET), null)
                .body()).getString("access_token");
        assertThat(get(dataverse.base() + "/api/whoami", fromFo).statusCode()).isEqualTo(200);
    }

    @Test
    void expiredToken_is401() throws Exception {
        Running emu = start();
        String token = token(emu);
        assertThat(get(emu.base() + "/api/whoami", token).statusCode()).isEqualTo(200);

        emu.clock().advance(Duration.ofSeconds(3598));
        assertThat(get(emu.base() + "/api/whoami", token).statusCode()).isEqualTo(200);
        emu.clock().advance(Duration.ofSeconds(1));

        assertThat(get(emu.base() + "/api/whoami", token).statusCode()).isEqualTo(401);
    }

    @Test
    void tokenLifetime_followsTheOption() throws Exception {
        Running emu = start(o -> o.tokenLifetimeSeconds = 60);
        HttpResponse<String> r = postForm(emu.tokenUrl(DEV_TENANT), secretForm(emu.base() + "/.default", DEV_SECRET), null);
        assertThat(new JsonObject(r.body()).getInteger("expires_in")).isEqualTo(60);
    }

    @Test
    void authOff_letsEverythingThrough_butTheTokenEndpointStillWorks() throws Exception {
        Running emu = start(o -> o.auth = false);

        HttpResponse<String> me = get(emu.base() + "/api/whoami", null);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(me.body()).getString("clientId")).isEqualTo(Caller.ANONYMOUS.clientId());
        assertThat(token(emu)).isNotBlank();
    }

    // ---- discovery ----

    @Test
    void discoveryDocument_andKeys_verifyTheTokens() throws Exception {
        Running emu = start();
        String token = token(emu);

        JsonObject doc = new JsonObject(get(emu.base() + "/dualsync-dev/v2.0/.well-known/openid-configuration", null).body());
        assertThat(doc.getString("token_endpoint")).isEqualTo(emu.tokenUrl(DEV_TENANT));
        assertThat(doc.getString("issuer")).isEqualTo(TestJwts.claims(token).getString("iss"));
        assertThat(doc.getJsonArray("token_endpoint_auth_methods_supported").getList()).contains("client_secret_post", "private_key_jwt");
        assertThat(doc.getString("jwks_uri")).isEqualTo(emu.base() + "/dualsync-dev/discovery/v2.0/keys");

        JsonObject jwk = new JsonObject(get(doc.getString("jwks_uri"), null).body()).getJsonArray("keys").getJsonObject(0);
        assertThat(jwk.getString("kid")).isEqualTo(TestJwts.header(token).getString("kid"));
        PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("n"))),
                new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString("e")))));
        String[] parts = token.split("\\.");
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(s.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        assertThat(get(emu.base() + "/nowhere/v2.0/.well-known/openid-configuration", null).statusCode()).isEqualTo(400);
    }

    // ---- helpers ----

    private String token(Running emu) throws Exception {
        HttpResponse<String> r = postForm(emu.tokenUrl(DEV_TENANT), secretForm(emu.base() + "/.default", DEV_SECRET), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getString("access_token");
    }

    private static Map<String, String> secretForm(String scope, String secret) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("grant_type", "client_credentials");
        m.put("client_id", DEV_CLIENT);
        m.put("client_secret", secret);
        m.put("scope", scope);
        return m;
    }

    private static Map<String, String> assertionForm(String clientId, String assertion, String scope) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("grant_type", "client_credentials");
        m.put("client_id", clientId);
        m.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        m.put("client_assertion", assertion);
        m.put("scope", scope);
        return m;
    }

    private static JsonObject assertionClaims(String clientId, String aud, long nbfOffset, long expOffset) {
        long now = Instant.now().getEpochSecond();
        return new JsonObject().put("aud", aud).put("iss", clientId).put("sub", clientId).put("jti", UUID.randomUUID().toString())
                .put("nbf", now + nbfOffset).put("iat", now + nbfOffset).put("exp", now + expOffset);
    }

    private HttpResponse<String> postForm(String url, Map<String, String> fields, String basic) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (basic != null) {
            b.header("Authorization", "Basic " + basic);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
