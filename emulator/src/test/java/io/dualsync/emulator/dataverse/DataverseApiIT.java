package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.dualsync.mapping.schema.SchemaLoader;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Dataverse Web API over real HTTP, as a connector uses it (auth off, built-in schemas). */
class DataverseApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ENTITY_ID = Pattern.compile("\\(([0-9a-f-]{36})\\)$");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private EmulatorServer server;
    private String api;
    private String usmf;

    private void start(Consumer<EmulatorOptions> settings) throws Exception {
        vertx = Vertx.vertx();
        EmulatorOptions options = new EmulatorOptions();
        options.auth = false;
        settings.accept(options);
        EmulatorContext ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.DATAVERSE);
        DataverseApi.loadTables(ctx, SchemaLoader.builtIn());
        ctx.addListener(events::add);
        server = EmulatorServer.start(ctx, 0, List.of(new DataverseApi(ctx))).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        api = server.baseUrl() + "/api/data/v9.2/";
        usmf = idOf(send("POST", "cdm_companies", "{\"cdm_companycode\":\"USMF\",\"cdm_name\":\"Contoso US\"}"));
        events.clear();
    }

    private void start() throws Exception {
        start(o -> { });
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : api + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").header("OData-MaxVersion", "4.0").header("OData-Version", "4.0");
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String idOf(HttpResponse<String> created) {
        assertThat(created.statusCode()).as(created.body()).isIn(201, 204);
        Matcher m = ENTITY_ID.matcher(created.headers().firstValue("OData-EntityId").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private String account(String number, String name) throws Exception {
        return idOf(send("POST", "accounts", "{\"name\":\"" + name + "\",\"accountnumber\":\"" + number + "\","
                + "\"msdyn_company@odata.bind\":\"/cdm_companies(" + usmf + ")\"}"));
    }

    private static void assertError(HttpResponse<String> r, int status, String code, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode err = json(r).path("error");
        if (code != null) {
            assertThat(err.path("code").asText()).isEqualTo(code);
        }
        assertThat(err.path("message").asText()).contains(message);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- create and retrieve --------------------------------------------------------------------

    @Test
    void createAnswers204WithTheNewRowsUrlAndTheRowReadsBack() throws Exception {
        start();
        HttpResponse<String> created = send("POST", "accounts", "{\"name\":\"Fourth Coffee\",\"accountnumber\":\"C-1\","
                + "\"creditlimit\":1500.50,\"numberofemployees\":12,\"msdyn_creditlimitismandatory\":true,"
                + "\"msdyn_company@odata.bind\":\"/cdm_companies(cdm_companycode='USMF')\"}");
        assertThat(created.statusCode()).isEqualTo(204);
        assertThat(created.headers().firstValue("OData-Version")).hasValue("4.0");
        assertThat(created.headers().firstValue("x-ms-service-request-id")).isPresent();
        String id = idOf(created);
        assertThat(created.headers().firstValue("OData-EntityId")).hasValue(api + "accounts(" + id + ")");

        HttpResponse<String> r = get("accounts(" + id + ")");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode a = json(r);
        assertThat(a.path("@odata.context").asText()).isEqualTo(api + "$metadata#accounts/$entity");
        assertThat(a.path("@odata.etag").asText()).matches("W/\"\\d+\"");
        assertThat(r.headers().firstValue("ETag")).hasValue(a.path("@odata.etag").asText());
        assertThat(a.path("accountid").asText()).isEqualTo(id);
        assertThat(a.path("name").asText()).isEqualTo("Fourth Coffee");
        assertThat(a.path("creditlimit").decimalValue()).isEqualByComparingTo("1500.50");
        assertThat(a.path("numberofemployees").asLong()).isEqualTo(12);
        assertThat(a.path("msdyn_creditlimitismandatory").asBoolean()).isTrue();
        assertThat(a.path("_msdyn_company_value").asText()).isEqualTo(usmf);
        assertThat(a.has("msdyn_company")).isFalse();
        assertThat(a.path("statecode").asInt()).isZero();
        assertThat(a.path("createdon").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(a.path("versionnumber").asLong()).isEqualTo(Long.parseLong(a.path("@odata.etag").asText().replaceAll("\\D", "")));
    }

    @Test
    void createWithReturnRepresentationAnswers201WithTheSelectedColumns() throws Exception {
        start();
        HttpResponse<String> r = send("POST", "accounts?$select=name,accountnumber", "{\"name\":\"Litware\",\"accountnumber\":\"L-1\"}",
                "Prefer", "return=representation");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Preference-Applied")).hasValue("return=representation");
        JsonNode a = json(r);
        assertThat(a.path("@odata.context").asText()).isEqualTo(api + "$metadata#accounts(name,accountnumber)/$entity");
        List<String> names = new ArrayList<>();
        a.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("@odata.context", "@odata.etag", "name", "accountnumber", "accountid");
    }

    @Test
    void aDuplicateAlternateKeyOnCreateIsTheDocumentedDuplicateError() throws Exception {
        start();
        account("A1", "First");
        HttpResponse<String> r = send("POST", "accounts", "{\"name\":\"Second\",\"accountnumber\":\"a1\","
                + "\"msdyn_company@odata.bind\":\"/cdm_companies(" + usmf + ")\"}");
        assertError(r, 412, "0x80040237", "A record with matching key values already exists.");
        assertThat(json(get("accounts/$count")).asInt()).isEqualTo(1);
    }

    @Test
    void anUnknownEntitySetIsResourceNotFoundForTheSegment() throws Exception {
        start();
        assertError(get("Account"), 404, "0x8006088a", "Resource not found for the segment 'Account'.");
    }

    // ---- queries --------------------------------------------------------------------------------

    @Test
    void queriesSelectFilterOrderTopAndCount() throws Exception {
        start();
        String other = idOf(send("POST", "cdm_companies", "{\"cdm_companycode\":\"DEMF\"}"));
        account("A3", "Charlie");
        account("A1", "Alpha");
        account("A2", "Bravo");
        send("POST", "accounts", "{\"name\":\"Delta\",\"accountnumber\":\"D1\",\"msdyn_company@odata.bind\":\"cdm_companies(" + other + ")\"}");

        JsonNode r = json(get("accounts?$select=name,accountnumber,_msdyn_company_value&$filter=" + q("_msdyn_company_value eq " + usmf)
                + "&$orderby=" + q("accountnumber desc") + "&$count=true"));
        assertThat(r.path("@odata.context").asText()).isEqualTo(api + "$metadata#accounts(name,accountnumber,_msdyn_company_value)");
        assertThat(r.path("@odata.count").asInt()).isEqualTo(3);
        List<String> names = new ArrayList<>();
        r.path("value").forEach(v -> names.add(v.path("name").asText()));
        assertThat(names).containsExactly("Charlie", "Bravo", "Alpha");
        JsonNode first = r.path("value").get(0);
        assertThat(first.has("creditlimit")).isFalse();
        assertThat(first.has("accountid")).isTrue();
        assertThat(first.path("_msdyn_company_value").asText()).isEqualTo(usmf);

        JsonNode top = json(get("accounts?$select=name&$orderby=name&$top=2"));
        assertThat(top.path("value")).hasSize(2);
        assertThat(top.path("value").get(1).path("name").asText()).isEqualTo("Bravo");

        JsonNode nav = json(get("accounts?$select=name&$filter=" + q("msdyn_company/cdm_companycode eq 'DEMF'")));
        assertThat(nav.path("value")).hasSize(1);
        assertThat(nav.path("value").get(0).path("name").asText()).isEqualTo("Delta");

        JsonNode contains = json(get("accounts?$select=name&$filter=" + q("contains(name,'ra') and accountnumber ne null")));
        assertThat(contains.path("value")).hasSize(1);

        HttpResponse<String> count = get("accounts/$count");
        assertThat(count.body().trim()).isEqualTo("4");
        assertThat(count.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    }

    @Test
    void anUnknownPropertyInAQueryIsTheDocumented400() throws Exception {
        start();
        assertError(get("accounts?$select=Name"), 400, null,
                "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.");
        assertError(get("accounts?$filter=" + q("bogus eq 1")), 400, null, "Could not find a property named 'bogus'");
        assertError(get("accounts?$orderby=msdyn_company"), 400, null, "Could not find a property named 'msdyn_company'");
        assertError(get("accounts?$filter=" + q("name eq")), 400, null, "Syntax error");
    }

    @Test
    void pagesWithMaxPageSizeAndNextLinks() throws Exception {
        start();
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(account("P" + i, "Paged " + i));
        }
        Set<String> seen = new HashSet<>();
        List<Integer> sizes = new ArrayList<>();
        String next = api + "accounts?$select=name&$count=true";
        while (next != null) {
            HttpResponse<String> r = get(next, "Prefer", "odata.maxpagesize=3");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Preference-Applied")).hasValue("odata.maxpagesize=3");
            JsonNode page = json(r);
            assertThat(page.path("@odata.count").asInt()).isEqualTo(7);
            sizes.add(page.path("value").size());
            page.path("value").forEach(v -> assertThat(seen.add(v.path("accountid").asText())).isTrue());
            next = page.has("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
            if (next != null) {
                assertThat(next).startsWith(api + "accounts?").contains("$skiptoken=").contains("$select=name");
            }
        }
        assertThat(sizes).containsExactly(3, 3, 1);
        assertThat(seen).isEqualTo(created);
    }

    @Test
    void theDefaultPageSizeIsTheOption() throws Exception {
        start(o -> o.dataverseMaxPageSize = 2);
        account("X1", "One");
        account("X2", "Two");
        account("X3", "Three");
        JsonNode page = json(get("accounts?$select=name"));
        assertThat(page.path("value")).hasSize(2);
        assertThat(page.has("@odata.nextLink")).isTrue();
    }

    // ---- alternate keys -------------------------------------------------------------------------

    @Test
    void rowsAreAddressedByAlternateKeysWithDoubledQuotes() throws Exception {
        start();
        String id = account("O'Brien-1", "O'Brien Ltd");
        String byLogical = "accounts(msdyn_company=" + usmf + ",accountnumber='" + q("O''Brien-1") + "')";
        String byLookupProperty = "accounts(accountnumber='" + q("O''Brien-1") + "',_msdyn_company_value=" + usmf + ")";
        assertThat(json(get(byLogical)).path("accountid").asText()).isEqualTo(id);
        assertThat(json(get(byLookupProperty)).path("accountid").asText()).isEqualTo(id);

        assertThat(send("PATCH", byLogical, "{\"telephone1\":\"555-0100\"}", "If-Match", "*").statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("telephone1").asText()).isEqualTo("555-0100");

        assertError(get("accounts(name=" + q("'O''Brien Ltd'") + ")"), 400, null,
                "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.account'.");
        assertError(get("accounts(msdyn_company=" + usmf + ",accountnumber='nope')"), 404, "0x80048d02",
                "A record with the specified key values does not exist in account entity");

        assertThat(send("DELETE", byLookupProperty, null).statusCode()).isEqualTo(204);
        assertThat(get("accounts(" + id + ")").statusCode()).isEqualTo(404);
    }

    // ---- update, upsert and concurrency ---------------------------------------------------------

    @Test
    void patchUpsertsAndHonoursIfMatchAndIfNoneMatch() throws Exception {
        start();
        String missing = "00000000-0000-0000-0000-0000000000a1";
        assertError(send("PATCH", "accounts(" + missing + ")", "{\"name\":\"Nobody\"}", "If-Match", "*"), 404, "0x80040217",
                "account With Id = " + missing + " Does Not Exist");
        assertThat(get("accounts(" + missing + ")").statusCode()).isEqualTo(404);

        HttpResponse<String> created = send("PATCH", "accounts(" + missing + ")", "{\"name\":\"Upserted\"}", "If-None-Match", "*");
        assertThat(created.statusCode()).isEqualTo(204);
        assertThat(idOf(created)).isEqualTo(missing);

        assertError(send("PATCH", "accounts(" + missing + ")", "{\"name\":\"Again\"}", "If-None-Match", "*"), 412, "0x80040237",
                "A record with matching key values already exists.");

        String etag = json(get("accounts(" + missing + ")")).path("@odata.etag").asText();
        HttpResponse<String> updated = send("PATCH", "accounts(" + missing + ")?$select=name", "{\"name\":\"Renamed\"}",
                "If-Match", etag, "Prefer", "return=representation");
        assertThat(updated.statusCode()).isEqualTo(200);
        String newEtag = json(updated).path("@odata.etag").asText();
        assertThat(newEtag).isNotEqualTo(etag);
        assertThat(json(updated).path("name").asText()).isEqualTo("Renamed");

        assertError(send("PATCH", "accounts(" + missing + ")", "{\"name\":\"Stale\"}", "If-Match", etag), 412, "0x80060882",
                "The version of the existing record doesn't match the RowVersion property provided.");
        assertError(send("DELETE", "accounts(" + missing + ")", null, "If-Match", etag), 412, "0x80060882",
                "The version of the existing record doesn't match the RowVersion property provided.");
        assertThat(json(get("accounts(" + missing + ")")).path("name").asText()).isEqualTo("Renamed");

        // Upsert by alternate key creates the row with the key's values.
        HttpResponse<String> byKey = send("PATCH", "accounts(msdyn_company=" + usmf + ",accountnumber='K-9')", "{\"name\":\"Keyed\"}",
                "Prefer", "return=representation");
        assertThat(byKey.statusCode()).isEqualTo(201);
        assertThat(json(byKey).path("accountnumber").asText()).isEqualTo("K-9");
        assertThat(json(byKey).path("_msdyn_company_value").asText()).isEqualTo(usmf);
    }

    @Test
    void conditionalRetrieveAnswers304UntilTheRowChanges() throws Exception {
        start();
        String id = account("E1", "Etag");
        String etag = json(get("accounts(" + id + ")")).path("@odata.etag").asText();
        assertThat(get("accounts(" + id + ")", "If-None-Match", etag).statusCode()).isEqualTo(304);
        send("PATCH", "accounts(" + id + ")", "{\"description\":\"changed\"}");
        HttpResponse<String> r = get("accounts(" + id + ")", "If-None-Match", etag);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("@odata.etag").asText()).isNotEqualTo(etag);
    }

    @Test
    void deleteRemovesTheRowAndAMissingRowIs404() throws Exception {
        start();
        String id = account("Del", "Doomed");
        assertThat(send("DELETE", "accounts(" + id + ")", null).statusCode()).isEqualTo(204);
        assertError(get("accounts(" + id + ")"), 404, "0x80040217", "account With Id = " + id + " Does Not Exist");
        assertThat(send("DELETE", "accounts(" + id + ")", null).statusCode()).isEqualTo(404);
    }

    @Test
    void singlePropertiesCanBeReadWrittenAndCleared() throws Exception {
        start();
        String id = account("S1", "Single");
        assertThat(send("PUT", "accounts(" + id + ")/telephone1", "{\"value\":\"555-0199\"}").statusCode()).isEqualTo(204);
        JsonNode v = json(get("accounts(" + id + ")/telephone1"));
        assertThat(v.path("value").asText()).isEqualTo("555-0199");
        assertThat(send("DELETE", "accounts(" + id + ")/telephone1", null).statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("telephone1").isNull()).isTrue();
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Test
    void lookupsAreBoundByUrlAndCleared() throws Exception {
        start();
        String group = idOf(send("POST", "msdyn_customergroups", "{\"msdyn_groupid\":\"10\","
                + "\"msdyn_company@odata.bind\":\"/cdm_companies(" + usmf + ")\"}"));
        String id = account("L1", "Looked up");
        assertThat(send("PATCH", "accounts(" + id + ")", "{\"msdyn_customergroupid@odata.bind\":\"" + api
                + "msdyn_customergroups(msdyn_company=" + usmf + ",msdyn_groupid='10')\"}").statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("_msdyn_customergroupid_value").asText()).isEqualTo(group);

        assertThat(send("PATCH", "accounts(" + id + ")", "{\"msdyn_customergroupid@odata.bind\":null}").statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("_msdyn_customergroupid_value").isNull()).isTrue();

        assertThat(send("PUT", "accounts(" + id + ")/msdyn_customergroupid/$ref",
                "{\"@odata.id\":\"msdyn_customergroups(" + group + ")\"}").statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("_msdyn_customergroupid_value").asText()).isEqualTo(group);
        assertThat(send("DELETE", "accounts(" + id + ")/msdyn_customergroupid/$ref", null).statusCode()).isEqualTo(204);
        assertThat(json(get("accounts(" + id + ")")).path("_msdyn_customergroupid_value").isNull()).isTrue();

        String ghost = "11111111-2222-3333-4444-555555555555";
        assertError(send("PATCH", "accounts(" + id + ")", "{\"msdyn_customergroupid@odata.bind\":\"/msdyn_customergroups(" + ghost + ")\"}"),
                404, "0x80040217", "msdyn_customergroup With Id = " + ghost + " Does Not Exist");
        assertError(send("PATCH", "accounts(" + id + ")", "{\"parentcustomerid@odata.bind\":\"/accounts(" + id + ")\"}"),
                400, "0x80048d19", "An undeclared property 'parentcustomerid' which only has property annotations in the payload");
    }

    // ---- validation -----------------------------------------------------------------------------

    @Test
    void invalidBodiesGetTheServicesErrors() throws Exception {
        start();
        assertError(send("POST", "accounts", "{\"Name\":\"Wrong case\"}"), 400, null,
                "Invalid property 'Name' was found in entity 'Microsoft.Dynamics.CRM.account'.");
        assertError(send("POST", "accounts", "{\"name\":\"N\",\"numberofemployees\":\"many\"}"), 400, "0x80048d19",
                "Cannot convert the literal 'many' to the expected type 'Edm.Int32'.");
        assertError(send("POST", "accounts", "{\"name\":\"N\",\"accountnumber\":\"123456789012345678901\"}"), 400, "0x80044331",
                "The length of the 'accountnumber' attribute of the 'account' entity exceeded the maximum allowed length of '20'.");
        assertError(send("POST", "accounts", "{\"accountnumber\":\"NONAME\"}"), 400, "0x80040203", "'name'");
        assertError(send("POST", "accounts", "{\"name\":\"N\",\"modifiedon\":\"2024-01-01T00:00:00Z\"}"), 400, "0x80040203", "read-only");
        assertError(send("POST", "accounts", "{\"name\":\"N\",\"customertypecode\":99}"), 400, null, "outside the valid range");
        assertThat(json(get("accounts/$count")).asInt()).isZero();
        assertThat(events).isEmpty();
    }

    // ---- events ---------------------------------------------------------------------------------

    @Test
    void everyCommittedWritePublishesOneEvent() throws Exception {
        start();
        String correlation = "0f0e0d0c-0000-4000-8000-000000000001";
        HttpResponse<String> c = send("POST", "accounts?tag=fo-sync", "{\"name\":\"Evented\",\"accountnumber\":\"EV1\"}",
                "x-ms-correlation-request-id", correlation);
        String id = idOf(c);
        send("PATCH", "accounts(" + id + ")", "{\"telephone1\":\"1\"}");
        send("DELETE", "accounts(" + id + ")", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);

        ChangeEvent create = events.get(0);
        assertThat(create.message()).isEqualTo(ChangeEvent.Message.Create);
        assertThat(create.entitySet()).isEqualTo("accounts");
        assertThat(create.id()).isEqualTo(id);
        assertThat(create.correlationId()).isEqualTo(correlation);
        assertThat(create.sharedVariables()).containsEntry("tag", "fo-sync");
        assertThat(create.caller()).isEqualTo(Caller.ANONYMOUS);
        assertThat(create.preImage()).isNull();
        assertThat(create.postImage()).containsEntry("name", "Evented");

        ChangeEvent update = events.get(1);
        assertThat(update.message()).isEqualTo(ChangeEvent.Message.Update);
        assertThat(update.target()).containsEntry("telephone1", "1").doesNotContainKey("name");
        assertThat(update.preImage()).doesNotContainKey("telephone1");
        assertThat(update.postImage()).containsEntry("telephone1", "1").containsEntry("name", "Evented");
        assertThat(update.rowVersion()).isGreaterThan(create.rowVersion());
        assertThat(update.sharedVariables()).isEmpty();

        ChangeEvent delete = events.get(2);
        assertThat(delete.message()).isEqualTo(ChangeEvent.Message.Delete);
        assertThat(delete.postImage()).isNull();
        assertThat(delete.preImage()).containsEntry("telephone1", "1");
    }

    // ---- $batch ---------------------------------------------------------------------------------

    private static String part(String contentId, String requestLine, String body) {
        return "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
                + (contentId == null ? "" : "Content-ID: " + contentId + "\r\n") + "\r\n"
                + requestLine + "\r\n" + (body == null ? "\r\n" : "Content-Type: application/json; type=entry\r\n\r\n" + body + "\r\n");
    }

    private HttpResponse<String> batch(String body, String... headers) throws Exception {
        List<String> h = new ArrayList<>(List.of("Content-Type", "multipart/mixed; boundary=\"batch_AAA123\""));
        h.addAll(List.of(headers));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + "$batch")).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < h.size(); i += 2) {
            b.header(h.get(i), h.get(i + 1));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void aBatchRunsChangeSetsWithContentIdReferencesAndQueries() throws Exception {
        start();
        String body = "--batch_AAA123\r\n"
                + "Content-Type: multipart/mixed; boundary=changeset_BBB456\r\n\r\n"
                + "--changeset_BBB456\r\n"
                + part("1", "POST " + api + "accounts HTTP/1.1", "{\"name\":\"Batch account\",\"accountnumber\":\"B1\"}")
                + "--changeset_BBB456\r\n"
                + part("2", "POST /api/data/v9.2/contacts HTTP/1.1", "{\"lastname\":\"Batch\",\"parentcustomerid@odata.bind\":\"$1\"}")
                + "--changeset_BBB456\r\n"
                + part("3", "PATCH $1 HTTP/1.1", "{\"primarycontactid@odata.bind\":\"$2\"}")
                + "--changeset_BBB456--\r\n"
                + "--batch_AAA123\r\n"
                + part(null, "GET accounts?$select=name,_primarycontactid_value HTTP/1.1", null)
                + "--batch_AAA123--\r\n";
        HttpResponse<String> r = batch(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("multipart/mixed; boundary=batchresponse_");
        assertThat(r.body()).contains("Content-Type: multipart/mixed; boundary=changesetresponse_");
        assertThat(count(r.body(), "HTTP/1.1 204 No Content")).isEqualTo(3);
        assertThat(r.body()).contains("Content-ID: 1").contains("OData-EntityId: " + api + "accounts(");
        assertThat(r.body()).contains("HTTP/1.1 200 OK").contains("\"name\":\"Batch account\"");

        JsonNode account = json(get("accounts?$select=name,_primarycontactid_value")).path("value").get(0);
        JsonNode contact = json(get("contacts?$select=lastname,_parentcustomerid_value")).path("value").get(0);
        assertThat(account.path("_primarycontactid_value").asText()).isEqualTo(contact.path("contactid").asText());
        assertThat(contact.path("_parentcustomerid_value").asText()).isEqualTo(account.path("accountid").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 3);
    }

    @Test
    void aFailingChangeSetLeavesNothingBehindAndPublishesNothing() throws Exception {
        start();
        String body = "--batch_AAA123\r\n"
                + "Content-Type: multipart/mixed; boundary=changeset_X\r\n\r\n"
                + "--changeset_X\r\n"
                + part("1", "POST accounts HTTP/1.1", "{\"name\":\"Rolled back\"}")
                + "--changeset_X\r\n"
                + part("2", "POST accounts HTTP/1.1", "{\"name\":\"" + "x".repeat(161) + "\"}")
                + "--changeset_X--\r\n"
                + "--batch_AAA123\r\n"
                + part(null, "POST accounts HTTP/1.1", "{\"name\":\"Never run\"}")
                + "--batch_AAA123--\r\n";
        HttpResponse<String> r = batch(body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("HTTP/1.1 400 Bad Request").contains("0x80044331").doesNotContain("204 No Content");
        assertThat(json(get("accounts/$count")).asInt()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void continueOnErrorRunsEveryRequest() throws Exception {
        start();
        String body = "--batch_AAA123\r\n" + part(null, "POST accounts HTTP/1.1", "{\"name\":\"" + "x".repeat(161) + "\"}")
                + "--batch_AAA123\r\n" + part(null, "POST accounts HTTP/1.1", "{\"name\":\"Second\"}")
                + "--batch_AAA123\r\n" + part(null, "POST accounts HTTP/1.1", "{\"name\":\"Third\"}")
                + "--batch_AAA123--\r\n";
        HttpResponse<String> stops = batch(body);
        assertThat(stops.statusCode()).isEqualTo(400);
        assertThat(json(get("accounts/$count")).asInt()).isZero();

        HttpResponse<String> r = batch(body, "Prefer", "odata.continue-on-error");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(count(r.body(), "HTTP/1.1 400 Bad Request")).isEqualTo(1);
        assertThat(count(r.body(), "HTTP/1.1 204 No Content")).isEqualTo(2);
        assertThat(json(get("accounts/$count")).asInt()).isEqualTo(2);
    }

    @Test
    void batchLimitsAndUnknownReferences() throws Exception {
        start();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 1001; i++) {
            big.append("--batch_AAA123\r\n").append(part(null, "GET accounts HTTP/1.1", null));
        }
        big.append("--batch_AAA123--\r\n");
        HttpResponse<String> tooMany = batch(big.toString());
        assertError(tooMany, 400, null, "up to 1000");

        String body = "--batch_AAA123\r\nContent-Type: multipart/mixed; boundary=changeset_X\r\n\r\n--changeset_X\r\n"
                + part("2", "POST contacts HTTP/1.1", "{\"lastname\":\"Ref\",\"parentcustomerid@odata.bind\":\"$1\"}")
                + "--changeset_X--\r\n--batch_AAA123--\r\n";
        HttpResponse<String> r = batch(body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Content-ID Reference: '$1' does not exist in the batch context.");
    }

    // ---- change tracking ------------------------------------------------------------------------

    @Test
    void changeTrackingReturnsChangesAndDeletionsSinceTheDeltaLink() throws Exception {
        start();
        String kept = account("T1", "Kept");
        String doomed = account("T2", "Doomed");
        HttpResponse<String> initial = get("accounts?$select=name,accountnumber", "Prefer", "odata.track-changes");
        assertThat(initial.statusCode()).isEqualTo(200);
        assertThat(initial.headers().firstValue("Preference-Applied")).hasValue("odata.track-changes");
        JsonNode first = json(initial);
        assertThat(first.path("value")).hasSize(2);
        String delta = first.path("@odata.deltaLink").asText();
        assertThat(delta).startsWith(api + "accounts?$select=name%2Caccountnumber&$deltatoken=");

        send("PATCH", "accounts(" + kept + ")", "{\"name\":\"Kept, renamed\"}");
        send("DELETE", "accounts(" + doomed + ")", null);
        String added = account("T3", "Added");

        JsonNode changes = json(get(delta));
        assertThat(changes.path("@odata.context").asText()).isEqualTo(api + "$metadata#accounts(name,accountnumber)/$delta");
        JsonNode value = changes.path("value");
        assertThat(value).hasSize(3);
        assertThat(value.get(0).path("accountid").asText()).isEqualTo(kept);
        assertThat(value.get(0).path("name").asText()).isEqualTo("Kept, renamed");
        assertThat(value.get(1).path("accountid").asText()).isEqualTo(added);
        assertThat(value.get(2).path("@odata.context").asText()).isEqualTo(api + "$metadata#accounts/$deletedEntity");
        assertThat(value.get(2).path("id").asText()).isEqualTo(doomed);
        assertThat(value.get(2).path("reason").asText()).isEqualTo("deleted");

        JsonNode none = json(get(changes.path("@odata.deltaLink").asText()));
        assertThat(none.path("value")).isEmpty();
    }

    @Test
    void changeTrackingRefusesQueryOptionsAndExpiredOrInvalidTokens() throws Exception {
        start(o -> o.changeTrackingRetentionSeconds = 3600);
        assertError(get("accounts?$filter=" + q("name eq 'x'"), "Prefer", "odata.track-changes"), 400, null,
                "The \"$filter\" query parameter isn't supported when Change Tracking is enabled.");
        assertError(get("accounts?$deltatoken=" + q("1!01/01/2020 00:00:00")), 400, "0x80044352",
                "Version stamp associated with the client has expired. Please perform a full sync.");
        assertError(get("accounts?$deltatoken=garbage"), 400, null, "is not valid");
    }

    @Test
    void pagedChangeTrackingEndsWithADeltaLink() throws Exception {
        start();
        for (int i = 0; i < 5; i++) {
            account("PT" + i, "Tracked " + i);
        }
        String next = api + "accounts?$select=name";
        String delta = null;
        int rows = 0;
        while (next != null) {
            JsonNode page = json(get(next, "Prefer", "odata.track-changes, odata.maxpagesize=2"));
            rows += page.path("value").size();
            next = page.has("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
            if (next == null) {
                delta = page.path("@odata.deltaLink").asText(null);
            }
        }
        assertThat(rows).isEqualTo(5);
        assertThat(delta).isNotNull();
        assertThat(json(get(delta)).path("value")).isEmpty();
    }

    @Test
    void whoAmIAnswersTheCallersUser() throws Exception {
        start();
        JsonNode me = json(get("WhoAmI"));
        assertThat(me.path("UserId").asText()).isEqualTo(Caller.ANONYMOUS.userId().toString());
    }
}
