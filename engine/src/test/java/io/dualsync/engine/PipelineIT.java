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

/** The whole engine in-process between both emulators (auth on, demo seed), webhooks over real HTTP. */
class PipelineIT {
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

    @Test
    void a_accountCreatedOnDataverse_appearsAsCustomerInFo() throws Exception {
        String group = null;
        for (Object o : emulated.rows(emulated.dataverseUrl(), "msdyn_customergroups")) {
            JsonObject g = (JsonObject) o;
            if ("10".equals(g.getString("msdyn_groupid"))) {
                group = g.getString("msdyn_customergroupid");
                break;
            }
        }
        HttpResponse<String> r = call(emulated.dataverseUrl(), "POST", "/api/data/v9.2/accounts",
                newAccount("DS-100", "Dualsync Alpha", group));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject c = foCustomer("DS-100");
            assertThat(c).as("customer DS-100 in F&O").isNotNull();
            assertThat(c.getString("OrganizationName")).isEqualTo("Dualsync Alpha");
            assertThat(c.getString("dataAreaId")).isEqualToIgnoringCase("usmf");
            assertThat(c.getString("CustomerGroupId")).isEqualTo("10");
            assertThat(c.getString("SalesCurrencyCode")).isEqualTo("EUR");
        });
    }

    @Test
    void b_c_customerUpdatedOnFo_changesAccount_withOneWriteAndNoEcho() throws Exception {
        token(emulated.foUrl());
        double echoesBefore = count(Side.FO, Metrics.ApplyResult.ECHO);
        emulated.resetCounters(emulated.foUrl());
        emulated.resetCounters(emulated.dataverseUrl());
        HttpResponse<String> r = call(emulated.foUrl(), "PATCH",
                "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-003')",
                new JsonObject().put("OrganizationName", "Forest Wholesales Renamed"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(account("US-003").getString("name")).isEqualTo("Forest Wholesales Renamed"));
        // the Dataverse webhook of our write comes back and must be dropped as an echo
        await().atMost(Duration.ofSeconds(30)).until(() -> count(Side.FO, Metrics.ApplyResult.ECHO) > echoesBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(writes(emulated.dataverseUrl())).as("writes to Dataverse").isEqualTo(1);
            assertThat(writes(emulated.foUrl())).as("writes to F&O (ours + none back)").isEqualTo(1);
        });
    }

    /** Events applied to {@code target} with {@code result}, as the engine's metrics count them. */
    private static double count(Side target, Metrics.ApplyResult result) {
        return engine.metrics().applyEvents(target, result).count();
    }

    private static long writes(String base) {
        JsonObject byMethod = emulated.control(base, "GET", "counters", null).getJsonObject("requests", new JsonObject())
                .getJsonObject("byMethod", new JsonObject());
        long n = 0;
        for (String m : new String[] {"PATCH", "POST"}) {
            JsonObject byStatus = byMethod.getJsonObject(m, new JsonObject());
            for (String s : byStatus.fieldNames()) {
                if (s.startsWith("2")) {
                    n += byStatus.getLong(s);
                }
            }
        }
        return n;
    }

    @Test
    void e_missingCustomerGroup_isDeadLettered_othersApply() throws Exception {
        HttpResponse<String> r = call(emulated.foUrl(), "POST", "/data/CustomersV3",
                new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", "DS-BAD").put("PartyType", "Organization")
                        .put("OrganizationName", "Bad Group").put("CustomerGroupId", "NOPE").put("SalesCurrencyCode", "USD"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        HttpResponse<String> ok = call(emulated.foUrl(), "POST", "/data/CustomersV3",
                new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", "DS-GOOD").put("PartyType", "Organization")
                        .put("OrganizationName", "Good Group").put("CustomerGroupId", "10").put("SalesCurrencyCode", "USD"));
        assertThat(ok.statusCode()).as(ok.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(account("DS-GOOD")).isNotNull());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonArray letters = Emulated.await(engine.pipeline().deadLetterAdmin().list(100));
            assertThat(letters.stream().map(o -> (JsonObject) o)
                    .filter(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD")))
                    .singleElement().satisfies(l -> assertThat(l.getString("error")).isNotBlank());
        });
        assertThat(account("DS-BAD")).isNull();

        // once the group exists in Dataverse, a person retries the dead letter through the admin API
        String company = guidOf("cdm_companies", "cdm_companycode", "USMF");
        emulated.control(emulated.dataverseUrl(), "POST", "rows/msdyn_customergroups", new JsonObject()
                .put("msdyn_customergroupid", java.util.UUID.randomUUID().toString()).put("msdyn_company", company)
                .put("msdyn_groupid", "NOPE").put("msdyn_description", "made for the retry").put("statecode", 0L));
        JsonObject letter = Emulated.await(engine.pipeline().deadLetterAdmin().list(100)).stream().map(o -> (JsonObject) o)
                .filter(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD")).findFirst().orElseThrow();
        HttpResponse<String> retry = HTTP.send(HttpRequest.newBuilder(URI.create(engineUrl + "/admin/dead-letters/"
                + URLEncoder.encode(letter.getString("id"), StandardCharsets.UTF_8).replace("+", "%20") + "/retry"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(account("DS-BAD")).isNotNull());
        assertThat(Emulated.await(engine.pipeline().deadLetterAdmin().list(100)).stream().map(o -> (JsonObject) o)
                .noneMatch(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD"))).isTrue();
    }

    @Test
    void d_sameWebhookTwice_isAppliedOnce() throws Exception {
        JsonObject c = foCustomer("US-002");
        HttpResponse<String> r = call(emulated.foUrl(), "PATCH",
                "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-002')",
                new JsonObject().put("OrganizationName", "LA Twice"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(account("US-002").getString("name")).isEqualTo("LA Twice"));
        JsonArray deliveries = emulated.control(emulated.foUrl(), "GET", "events/deliveries", null).getJsonArray("value");
        String last = ((JsonObject) deliveries.getValue(deliveries.size() - 1)).getValue("id").toString();
        emulated.resetCounters(emulated.dataverseUrl());
        double duplicatesBefore = count(Side.DATAVERSE, Metrics.ApplyResult.DUPLICATE);
        emulated.control(emulated.foUrl(), "POST", "events/deliveries/" + last + "/resend", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(Side.DATAVERSE, Metrics.ApplyResult.DUPLICATE) > duplicatesBefore);
        assertThat(writes(emulated.dataverseUrl())).isZero();
        assertThat(c).isNotNull();
    }

    @Test
    void f_customerDeletedOnFo_deletesTheAccount() throws Exception {
        assertThat(account("US-001")).isNotNull();
        HttpResponse<String> r = call(emulated.foUrl(), "DELETE",
                "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')", null);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(account("US-001")).isNull());
    }
}
