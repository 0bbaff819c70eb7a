package io.dualsync.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Both emulators as {@code dualsync emulate} wires them: development identity, bearer-token guard,
 * service protection, the APIs, seed data, and webhook and F&O event delivery attributing writes
 * to the caller's application user.
 */
class EmulatorsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private Vertx vertx;
    private HttpServer receiver;
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private Emulators emulators;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            received.add(new JsonObject().put("path", req.path()).put("body", new JsonObject(body)));
            req.response().setStatusCode(200).end();
        })).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (emulators != null) {
            emulators.close().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    private EmulatorOptions options() {
        EmulatorOptions o = new EmulatorOptions();
        o.foPort = 0;
        o.dataversePort = 0;
        o.seed = "demo";
        return o;
    }

    private String receiverUrl() {
        return "http://127.0.0.1:" + receiver.actualPort();
    }

    private String token(String emulatorUrl, String resource) throws Exception {
        String form = "grant_type=client_credentials&client_id=dualsync-dev&client_secret=dualsync-dev-secret&scope="
                + URLEncoder.encode(resource + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(emulatorUrl + "/dualsync-dev/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dataverse_requiresAToken_forItsOwnResource_andServesSeededRows() throws Exception {
        emulators = Emulators.start(vertx, options()).await(60, TimeUnit.SECONDS);
        String dv = emulators.dataverseUrl();
        String accounts = dv + "/api/data/v9.2/accounts?$select=name,accountnumber";

        HttpResponse<String> anonymous = send("GET", accounts, null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));

        String forFo = token(dv, emulators.foUrl());
        assertThat(send("GET", accounts, forFo, null).statusCode()).as("a token for F&O is refused by Dataverse").isEqualTo(401);

        HttpResponse<String> ok = send("GET", accounts, token(dv, dv), null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("value").size()).as("demo seed").isGreaterThan(0);
    }

    @Test
    void dataverseWrite_reachesTheWebhook_attributedToTheCallersApplicationUser_withTheTag() throws Exception {
        EmulatorOptions o = options();
        o.webhooks.add(new JsonObject().put("url", receiverUrl() + "/dataverse").put("entity", "account")
                .put("messages", new JsonArray().add("Create").add("Update")));
        emulators = Emulators.start(vertx, o).await(60, TimeUnit.SECONDS);
        String dv = emulators.dataverseUrl();
        String token = token(dv, dv);

        HttpResponse<String> created = send("POST", dv + "/api/data/v9.2/accounts?tag=dualsync", token,
                "{\"name\":\"Webhook Test\",\"accountnumber\":\"WH-1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        JsonObject ctx = received.get(0).getJsonObject("body");
        String appUser = Caller.forClient("dualsync-dev", "dualsync-dev").userId().toString();
        assertThat(ctx.getString("MessageName")).isEqualTo("Create");
        assertThat(ctx.getString("UserId")).isEqualTo(appUser);
        assertThat(ctx.getString("InitiatingUserId")).isEqualTo(appUser);
        assertThat(ctx.getJsonArray("SharedVariables").encode()).contains("\"tag\"").contains("\"dualsync\"");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode counters = JSON.readTree(send("GET", dv + "/_emulator/counters", null, null).body());
            assertThat(counters.path("webhookDeliveries").path("succeeded").asInt()).as(counters.toString()).isEqualTo(1);
            assertThat(counters.path("requests").path("total").asInt()).isPositive();
        });
    }

    @Test
    void foWrite_raisesTheBusinessEvent_andOnlyTheDefaultCompanyIsVisibleWithoutCrossCompany() throws Exception {
        EmulatorOptions o = options();
        o.eventEndpoints.add(new JsonObject().put("url", receiverUrl() + "/fo").put("kind", "business")
                .put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent")));
        emulators = Emulators.start(vertx, o).await(60, TimeUnit.SECONDS);
        String fo = emulators.foUrl();
        String token = token(fo, fo);

        JsonNode usmfOnly = JSON.readTree(send("GET", fo + "/data/CustomersV3?$select=dataAreaId,CustomerAccount", token, null).body());
        JsonNode all = JSON.readTree(send("GET", fo + "/data/CustomersV3?cross-company=true&$select=dataAreaId", token, null).body());
        assertThat(usmfOnly.path("value").size()).isPositive().isLessThan(all.path("value").size());
        usmfOnly.path("value").forEach(c -> assertThat(c.path("dataAreaId").asText()).isEqualToIgnoringCase("usmf"));

        String account = usmfOnly.path("value").get(0).path("CustomerAccount").asText();
        HttpResponse<String> patched = send("PATCH", fo + "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='" + account + "')",
                token, "{\"OrganizationName\":\"Renamed\"}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);

        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        JsonObject event = received.get(0).getJsonObject("body");
        assertThat(event.getString("BusinessEventId")).isEqualTo("CustomerChangedBusinessEvent");
        assertThat(event.getString("BusinessEventLegalEntity")).isEqualToIgnoringCase("usmf");
        assertThat(event.getString("InitiatingUserAADObjectId"))
                .isEqualToIgnoringCase("{" + Caller.forClient("dualsync-dev", "dualsync-dev").userId() + "}");
    }

    @Test
    void serviceProtection_appliesPerUser_behindTheTokenGuard() throws Exception {
        EmulatorOptions o = options();
        o.limitRequests = 3;
        emulators = Emulators.start(vertx, o).await(60, TimeUnit.SECONDS);
        String dv = emulators.dataverseUrl();
        String token = token(dv, dv);
        String url = dv + "/api/data/v9.2/accounts?$top=1";
        for (int i = 0; i < 3; i++) {
            assertThat(send("GET", url, token, null).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> throttled = send("GET", url, token, null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertThat(throttled.body()).contains("0x80072322");
    }

    @Test
    void config_registersWebhooksAndSetsLimits_andRefusesUnknownKeys(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("emulators.yaml");
        Files.writeString(good, """
                limits: { requests: 100, concurrent: 4 }
                tokenLifetimeSeconds: 600
                webhooks:
                  - { url: http://127.0.0.1:9/hook, entity: account, messages: [Update] }
                foEvents:
                  - { url: http://127.0.0.1:9/fo, kind: data, entitySets: [CustomersV3] }
                """);
        EmulatorOptions o = new EmulatorOptions();
        EmulatorConfig.apply(good, o);
        assertThat(o.limitRequests).isEqualTo(100);
        assertThat(o.limitConcurrent).isEqualTo(4);
        assertThat(o.tokenLifetimeSeconds).isEqualTo(600);
        assertThat(o.webhooks).singleElement().satisfies(w -> assertThat(w.getString("entity")).isEqualTo("account"));
        assertThat(o.eventEndpoints).hasSize(1);

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "limit: { requests: 5 }\nlimits: { requests: -1 }\nwebhooks: nope\n");
        assertThatThrownBy(() -> EmulatorConfig.apply(bad, new EmulatorOptions()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit: unknown key")
                .hasMessageContaining("limits.requests: must be a whole number of 0 or more, not -1")
                .hasMessageContaining("webhooks: must be a list");
    }
}
