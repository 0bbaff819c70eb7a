package io.dualsync.engine;

import io.dualsync.config.EngineConfig;
import io.dualsync.connector.http.Emulated;
import io.dualsync.emulator.EmulatorOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.nio.file.Paths;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The business events the example maps bind ({@code event} lines) reach ingest through the engine:
 * the engine runs the example maps between both emulators, F&O announces changes only by
 * business events, and the record is read from F&O and written to Dataverse.
 */
class BusinessEventsIT {
    @TempDir
    static Path dir;
    private static Emulated emulated;
    private static Engine engine;
    private static String engineUrl;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final String PERSON = "someone-in-sales";
    private static final String PERSON_SECRET = "someone-secret";
    private static final String ENGINE_USER = UUID.nameUUIDFromBytes(
            "app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();

    @BeforeAll
    static void start() throws Exception {
        // The change is made by another application than the engine's, so it is not taken for an echo.
        emulated = Emulated.start(o -> o.clients.add(new EmulatorOptions.Client("dualsync-dev", PERSON, PERSON_SECRET, null)));
        String fo = emulated.foUrl();
        String dv = emulated.dataverseUrl();
        Path maps = Paths.get("..", "examples", "maps").toAbsolutePath().normalize();
        String yaml = String.join("\n",
                "fo:",
                "  baseUrl: " + fo,
                "  tenant: dualsync-dev",
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + fo,
                "dataverse:",
                "  baseUrl: " + dv,
                "  tenant: dualsync-dev",
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + dv,
                "identity:",
                "  foUserId: " + ENGINE_USER,
                "  dataverseUserId: " + ENGINE_USER,
                "maps:",
                "  dir: " + maps,
                "journal:",
                "  dir: " + dir.resolve("data"),
                "server:",
                "  port: 0",
                "");
        Path file = dir.resolve("dualsync.yaml");
        Files.writeString(file, yaml);
        engine = Emulated.await(new Engine(emulated.vertx, EngineConfig.load(file, name -> null)).start());
        engineUrl = "http://127.0.0.1:" + engine.port();
        emulated.control(fo, "POST", "events/endpoints", new JsonObject().put("url", engineUrl + "/webhooks/fo")
                .put("kind", "business").put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent")));
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            Emulated.await(engine.stop());
        }
        if (emulated != null) {
            emulated.close();
        }
    }

    @Test
    void customerChangedOnFo_announcedByTheMapsBusinessEvent_changesTheAccount() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(emulated.foUrl()
                        + "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-003')"))
                .header("Authorization", "Bearer " + personToken(emulated.foUrl())).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(new JsonObject()
                        .put("OrganizationName", "Forest Wholesales by business event").encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(account("US-003").getString("name")).isEqualTo("Forest Wholesales by business event"));
    }

    @Test
    void eventNoMapBinds_isRefusedNamingTheEventsTheMapsBind() throws Exception {
        JsonObject event = new JsonObject().put("BusinessEventId", "PurchaseOrderConfirmedBusinessEvent")
                .put("BusinessEventLegalEntity", "usmf").put("EventId", UUID.randomUUID().toString().toUpperCase())
                .put("EventTime", "/Date(1570769681000)/").put("PurchaseOrderNumber", "PO-1");

        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(engineUrl + "/webhooks/fo"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event.encode())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("PurchaseOrderConfirmedBusinessEvent", "CustomerChangedBusinessEvent", "VendorChangedBusinessEvent");
    }

    private static String personToken(String base) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + PERSON + "&client_secret=" + PERSON_SECRET + "&scope="
                + URLEncoder.encode(base + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/dualsync-dev/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body()).getString("access_token");
    }

    private static JsonObject account(String number) {
        for (Object o : emulated.rows(emulated.dataverseUrl(), "accounts")) {
            JsonObject row = (JsonObject) o;
            if (number.equals(row.getString("accountnumber"))) {
                return row;
            }
        }
        return null;
    }
}
