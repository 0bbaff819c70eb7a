package io.dualsync.engine;

import io.dualsync.config.EngineConfig;
import io.dualsync.connector.http.Emulated;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole engine in-process between both emulators: changes that must leave both sides equal, however
 * they start (a delete in Dataverse, which names the record by its id only; a rename on both sides at once).
 */
class PipelineConvergenceIT {
    @TempDir
    static Path dir;
    private static Emulated emulated;
    private static Engine engine;
    private static String engineUrl;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PERSON = "someone-in-sales";
    private static final String PERSON_SECRET = "someone-secret";
    /** The emulators' application user of the engine's client id (dualsync-dev). */
    private static final String ENGINE_USER = java.util.UUID.nameUUIDFromBytes(
            "app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();

    @BeforeAll
    static void start() throws Exception {
        // people change records as another application than the engine's, so their changes are no echoes
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
                "apply:",
                "  retry:",
                "    deadline: 5s",
                "");
        Path file = dir.resolve("dualsync.yaml");
        Files.writeString(file, yaml);
        engine = Emulated.await(new Engine(emulated.vertx, EngineConfig.load(file, name -> null)).start());
        engineUrl = "http://127.0.0.1:" + engine.port();
        emulated.control(dv, "POST", "webhooks", new JsonObject().put("url", engineUrl + "/webhooks/dataverse")
                .put("entity", "account").put("messages", new JsonArray().add("Create").add("Update").add("Delete")));
        emulated.control(fo, "POST", "events/endpoints", new JsonObject().put("url", engineUrl + "/webhooks/fo")
                .put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")));
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

    private static final java.util.Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token per emulator, fetched once (token requests are POSTs the write counters would count). */
    private static String token(String base) throws Exception {
        String cached = TOKENS.get(base);
        if (cached != null) {
            return cached;
        }
        String form = "grant_type=client_credentials&client_id=" + PERSON + "&client_secret=" + PERSON_SECRET + "&scope="
                + URLEncoder.encode(base + "/.default", StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/dualsync-dev/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String t = new JsonObject(r.body()).getString("access_token");
        TOKENS.put(base, t);
        return t;
    }

    private static HttpResponse<String> call(String base, String method, String path, JsonObject body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token(base)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String guidOf(String table, String column, String value) {
        for (Object o : emulated.rows(emulated.dataverseUrl(), table)) {
            JsonObject row = (JsonObject) o;
            if (value.equals(String.valueOf(row.getValue(column)))) {
                return row.getString(table.substring(0, table.length() - (table.endsWith("ies") ? 3 : 1))
                        + (table.endsWith("ies") ? "yid" : "id"));
            }
        }
        throw new IllegalStateException("no " + table + " with " + column + " " + value);
    }

    private static JsonObject foCustomer(String account) {
        for (Object o : emulated.rows(emulated.foUrl(), "CustomersV3")) {
            JsonObject row = (JsonObject) o;
            if (account.equals(row.getString("CustomerAccount"))) {
                return row;
            }
        }
        return null;
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

    private static JsonObject newAccount(String number, String name, String groupId) {
        String company = guidOf("cdm_companies", "cdm_companycode", "USMF");
        String currency = guidOf("transactioncurrencies", "isocurrencycode", "EUR");
        JsonObject body = new JsonObject().put("name", name).put("accountnumber", number).put("customertypecode", 3)
                .put("msdyn_company@odata.bind", "/cdm_companies(" + company + ")")
                .put("transactioncurrencyid@odata.bind", "/transactioncurrencies(" + currency + ")");
        if (groupId != null) {
            body.put("msdyn_customergroupid@odata.bind", "/msdyn_customergroups(" + groupId + ")");
        }
        return body;
    }


    private static String dataverseIdOf(String number) {
        JsonObject a = account(number);
        assertThat(a).as("account " + number).isNotNull();
        return a.getString("accountid");
    }

    private static HttpResponse<String> createFoCustomer(String account, String name) throws Exception {
        return call(emulated.foUrl(), "POST", "/data/CustomersV3",
                new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", account).put("PartyType", "Organization")
                        .put("OrganizationName", name).put("CustomerGroupId", "10").put("SalesCurrencyCode", "USD"));
    }

    @Test
    void accountDeletedOnDataverse_deletesTheCustomerInFo_whicheverSideCreatedIt() throws Exception {
        HttpResponse<String> r = call(emulated.dataverseUrl(), "POST", "/api/data/v9.2/accounts",
                newAccount("DS-200", "Made In Dataverse", guidOf("msdyn_customergroups", "msdyn_groupid", "10")));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        HttpResponse<String> c = createFoCustomer("DS-201", "Made In FO");
        assertThat(c.statusCode()).as(c.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(foCustomer("DS-200")).as("DS-200 synced to F&O").isNotNull();
            assertThat(account("DS-201")).as("DS-201 synced to Dataverse").isNotNull();
        });

        for (String number : new String[] {"DS-200", "DS-201"}) {
            HttpResponse<String> d = call(emulated.dataverseUrl(), "DELETE",
                    "/api/data/v9.2/accounts(" + dataverseIdOf(number) + ")", null);
            assertThat(d.statusCode()).as(d.body()).isBetween(200, 204);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(foCustomer("DS-200")).as("DS-200 in F&O").isNull();
            assertThat(foCustomer("DS-201")).as("DS-201 in F&O").isNull();
        });
    }

    @Test
    void renamedOnBothSidesAtOnce_endsEqualOnBothSides() throws Exception {
        HttpResponse<String> c = createFoCustomer("DS-300", "Before Both");
        assertThat(c.statusCode()).as(c.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(account("DS-300")).isNotNull());
        String id = dataverseIdOf("DS-300");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(account("DS-300").getString("name")).isEqualTo("Before Both"));

        for (int round = 1; round <= 3; round++) {
            String foName = "Renamed In FO " + round;
            String dvName = "Renamed In Dataverse " + round;
            java.util.concurrent.CompletableFuture<HttpResponse<String>> onFo = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> send(emulated.foUrl(), "PATCH",
                            "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='DS-300')",
                            new JsonObject().put("OrganizationName", foName)));
            HttpResponse<String> onDv = call(emulated.dataverseUrl(), "PATCH", "/api/data/v9.2/accounts(" + id + ")",
                    new JsonObject().put("name", dvName));
            assertThat(onDv.statusCode()).as(onDv.body()).isBetween(200, 204);
            assertThat(onFo.join().statusCode()).isBetween(200, 204);

            await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(2)).untilAsserted(() -> {
                String inFo = foCustomer("DS-300").getString("OrganizationName");
                String inDv = account("DS-300").getString("name");
                assertThat(inDv).as("Dataverse's name equals F&O's").isEqualTo(inFo);
                assertThat(inFo).isIn(foName, dvName);
            });
        }
        assertThat(Emulated.await(engine.pipeline().deadLetterAdmin().list(1000)).stream().map(o -> (JsonObject) o)
                .filter(l -> String.valueOf(l.getString("key")).contains("ds-300")))
                .as("dead letters of DS-300").isEmpty();
    }

    private static HttpResponse<String> send(String base, String method, String path, JsonObject body) {
        try {
            return call(base, method, path, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
