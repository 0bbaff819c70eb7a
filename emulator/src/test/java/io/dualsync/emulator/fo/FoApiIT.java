package io.dualsync.emulator.fo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The F&O OData API over real HTTP, as a connector would use it (auth off, built-in schemas). */
class FoApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String US001 = "CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private EmulatorServer server;
    private String base;

    private void start(Consumer<EmulatorOptions> settings) throws Exception {
        vertx = Vertx.vertx();
        EmulatorOptions options = new EmulatorOptions();
        options.auth = false;
        settings.accept(options);
        EmulatorContext ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.FO);
        FoApi.loadTables(ctx, SchemaLoader.builtIn());
        ctx.addListener(events::add);
        server = EmulatorServer.start(ctx, 0, List.of(new FoApi(ctx))).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        base = server.baseUrl() + "/data/";
    }

    private void start() throws Exception {
        start(o -> { });
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !List.of(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static List<String> accounts(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("value").forEach(v -> out.add(v.get("CustomerAccount").asText()));
        return out;
    }

    private static String customer(String company, String account, String extra) {
        return "{" + (company == null ? "" : "\"dataAreaId\":\"" + company + "\",") + "\"CustomerAccount\":\"" + account
                + "\",\"CustomerGroupId\":\"10\",\"SalesCurrencyCode\":\"USD\"" + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private HttpResponse<String> create(String company, String account, String extra) throws Exception {
        HttpResponse<String> r = send("POST", "CustomersV3", customer(company, account, extra));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r;
    }

    /** The innererror message of an F&O error body, after checking the envelope F&O uses. */
    private static String innerMessage(HttpResponse<String> r) throws Exception {
        JsonNode error = json(r).get("error");
        assertThat(error.get("code").asText()).isEmpty();
        assertThat(error.get("message").asText()).isEqualTo("An error has occurred.");
        assertThat(error.get("innererror").has("type")).isTrue();
        assertThat(error.get("innererror").has("stacktrace")).isTrue();
        return error.get("innererror").get("message").asText();
    }

    // ---- service root ---------------------------------------------------------------------------

    @Test
    void serviceRootListsTheEntitySetsAndMetadataDescribesThem() throws Exception {
        start();
        HttpResponse<String> root = get("");
        assertThat(root.statusCode()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        json(root).get("value").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).contains("CustomersV3", "VendorsV2", "CustomerGroups", "LegalEntities", "CDSContactPersonsV2")
                .doesNotContain("accounts");
        assertThat(get(server.baseUrl() + "/data").statusCode()).isEqualTo(200);

        HttpResponse<String> metadata = get("$metadata");
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.body()).contains("<EntityType Name=\"CustomerV3\">", "<PropertyRef Name=\"dataAreaId\"/>",
                "<EnumType Name=\"NoYes\">", "<EntitySet Name=\"CustomersV3\" EntityType=\"Microsoft.Dynamics.DataEntities.CustomerV3\"/>");
    }

    @Test
    void unknownEntitySetsAndQueryOptionsAreRefused() throws Exception {
        start();
        HttpResponse<String> missing = get("Customers");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(innerMessage(missing)).contains("Customers");
        HttpResponse<String> wrongCase = get("customersv3");
        assertThat(wrongCase.statusCode()).isEqualTo(404);
        HttpResponse<String> option = get("CustomersV3?$search=x");
        assertThat(option.statusCode()).isEqualTo(400);
        assertThat(innerMessage(option)).contains("$search");
    }

    // ---- create and read ------------------------------------------------------------------------

    @Test
    void createAnswers201WithTheRecordItsLocationAndEtag() throws Exception {
        start();
        HttpResponse<String> r = create(null, "US-001", "\"OrganizationName\":\"Contoso\",\"CreditLimit\":1500.50,"
                + "\"OrganizationNumberOfEmployees\":12,\"CreditLimitIsMandatory\":\"Yes\",\"@odata.type\":\"#Microsoft.Dynamics.DataEntities.CustomerV3\"");
        assertThat(r.headers().firstValue("Location")).hasValue(server.baseUrl() + "/data/" + US001);
        JsonNode body = json(r);
        assertThat(body.get("@odata.context").asText()).isEqualTo(server.baseUrl() + "/data/$metadata#CustomersV3/$entity");
        assertThat(body.get("@odata.etag").asText()).matches("W/\"\\d+\"");
        // dataAreaId comes from the caller's default company when the payload has none.
        assertThat(body.get("dataAreaId").asText()).isEqualTo("usmf");
        assertThat(body.get("OrganizationName").asText()).isEqualTo("Contoso");
        assertThat(body.get("CreditLimit").decimalValue()).isEqualByComparingTo("1500.50");
        assertThat(body.get("OrganizationNumberOfEmployees").asLong()).isEqualTo(12);
        assertThat(body.get("CreditLimitIsMandatory").asText()).isEqualTo("Yes");
        // F&O fields nobody set read as their empty value, never null.
        assertThat(body.get("PaymentTerms").asText()).isEmpty();
        assertThat(body.get("IsOneTimeCustomer").asText()).isEqualTo("No");

        HttpResponse<String> read = get(r.headers().firstValue("Location").orElseThrow());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).get("@odata.etag").asText()).isEqualTo(body.get("@odata.etag").asText());
        assertThat(json(read).get("OrganizationName").asText()).isEqualTo("Contoso");

        HttpResponse<String> property = get(US001 + "/OrganizationName");
        assertThat(json(property).get("value").asText()).isEqualTo("Contoso");
    }

    @Test
    void everyKeyFieldIsRequiredToAddressARecord() throws Exception {
        start();
        create(null, "US-001", "");
        HttpResponse<String> partial = get("CustomersV3(CustomerAccount='US-001')");
        assertThat(partial.statusCode()).isEqualTo(400);
        assertThat(innerMessage(partial)).contains("number of keys", "dataAreaId, CustomerAccount");
        HttpResponse<String> positional = get("CustomersV3('US-001')");
        assertThat(positional.statusCode()).isEqualTo(400);
        HttpResponse<String> wrongName = get("CustomersV3(dataAreaId='usmf',Account='US-001')");
        assertThat(wrongName.statusCode()).isEqualTo(400);
        HttpResponse<String> absent = get("CustomersV3(dataAreaId='usmf',CustomerAccount='US-999')");
        assertThat(absent.statusCode()).isEqualTo(404);
        innerMessage(absent);

        // A single-field key may be given without its name.
        assertThat(send("POST", "LegalEntities", "{\"LegalEntityId\":\"usmf\",\"Name\":\"Contoso USA\"}").statusCode()).isEqualTo(201);
        assertThat(json(get("LegalEntities('usmf')")).get("Name").asText()).isEqualTo("Contoso USA");
        assertThat(json(get("LegalEntities(LegalEntityId='usmf')")).get("Name").asText()).isEqualTo("Contoso USA");
    }

    // ---- companies ------------------------------------------------------------------------------

    @Test
    void onlyTheDefaultCompanyIsVisibleWithoutCrossCompany() throws Exception {
        start();
        create("usmf", "US-001", "");
        create("USRT", "RT-001", ""); // a create may name any company; company ids are kept in lower case
        create("usrt", "RT-002", "");

        assertThat(accounts(json(get("CustomersV3")))).containsExactly("US-001");
        // Without $orderby records come in key order (dataAreaId first).
        assertThat(accounts(json(get("CustomersV3?cross-company=true")))).containsExactly("US-001", "RT-001", "RT-002");
        assertThat(accounts(json(get("CustomersV3?cross-company=true&$filter=" + q("dataAreaId eq 'USRT'")))))
                .containsExactly("RT-001", "RT-002");
        assertThat(get("CustomersV3/$count").body()).isEqualTo("1");

        String rt = "CustomersV3(dataAreaId='usrt',CustomerAccount='RT-001')";
        assertThat(get(rt).statusCode()).isEqualTo(404);
        assertThat(json(get(rt + "?cross-company=true")).get("dataAreaId").asText()).isEqualTo("usrt");
        // Writes to an existing record of another company go through the same company filter.
        assertThat(send("PATCH", rt, "{\"OrganizationName\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(send("PATCH", rt + "?cross-company=true", "{\"OrganizationName\":\"x\"}").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", rt, null).statusCode()).isEqualTo(404);
        // Company ids match ignoring case.
        assertThat(get("CustomersV3(dataAreaId='USMF',CustomerAccount='us-001')").statusCode()).isEqualTo(200);
    }

    // ---- query options --------------------------------------------------------------------------

    @Test
    void filterSupportsEnumLiteralsWildcardsAndFunctions() throws Exception {
        start();
        create(null, "US-001", "\"OrganizationName\":\"Contoso Retail\",\"IsOneTimeCustomer\":\"Yes\",\"CreditLimit\":100");
        create(null, "US-002", "\"OrganizationName\":\"Fabrikam\",\"CreditLimit\":5000");
        create(null, "US-003", "\"OrganizationName\":\"Retail Partners\",\"IsOneTimeCustomer\":\"Yes\",\"CreditLimit\":9000");

        assertThat(accounts(json(get("CustomersV3?$filter=" + q("IsOneTimeCustomer eq Microsoft.Dynamics.DataEntities.NoYes'Yes'")))))
                .containsExactly("US-001", "US-003");
        assertThat(accounts(json(get("CustomersV3?$filter=" + q("IsOneTimeCustomer ne Microsoft.Dynamics.DataEntities.NoYes'Yes'")))))
                .containsExactly("US-002");
        assertThat(accounts(json(get("CustomersV3?$filter=" + q("OrganizationName eq '*retail*'"))))).containsExactly("US-001", "US-003");
        assertThat(accounts(json(get("CustomersV3?$filter=" + q("OrganizationName eq 'Retail*'"))))).containsExactly("US-003");
        assertThat(accounts(json(get("CustomersV3?$filter=" + q("CreditLimit gt 1000 and contains(OrganizationName,'fab')")))))
                .containsExactly("US-002");
        assertThat(accounts(json(get("CustomersV3?$filter=" + q("CustomerAccount eq 'us-002' or CreditLimit ge 9000")))))
                .containsExactly("US-002", "US-003");

        HttpResponse<String> unknown = get("CustomersV3?$filter=" + q("Nope eq 1"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(innerMessage(unknown)).contains("Could not find a property named 'Nope'");
        assertThat(get("CustomersV3?$filter=" + q("CreditLimit gt")).statusCode()).isEqualTo(400);
    }

    @Test
    void selectOrderTopSkipAndCountShapeTheCollection() throws Exception {
        start();
        create(null, "US-001", "\"CreditLimit\":300");
        create(null, "US-002", "\"CreditLimit\":100");
        create(null, "US-003", "\"CreditLimit\":200");
        create(null, "US-004", "\"CreditLimit\":400");

        JsonNode page = json(get("CustomersV3?$select=CustomerAccount,CreditLimit&$orderby=" + q("CreditLimit desc")
                + "&$top=2&$skip=1&$count=true"));
        assertThat(page.get("@odata.context").asText()).endsWith("/data/$metadata#CustomersV3(CustomerAccount,CreditLimit)");
        assertThat(page.get("@odata.count").asInt()).isEqualTo(4);
        assertThat(accounts(page)).containsExactly("US-001", "US-003");
        JsonNode first = page.get("value").get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("@odata.etag", "CustomerAccount", "CreditLimit");
        assertThat(page.has("@odata.nextLink")).isFalse();

        assertThat(get("CustomersV3/$count?$filter=" + q("CreditLimit ge 200")).body()).isEqualTo("3");
        assertThat(get("CustomersV3?$select=Nope").statusCode()).isEqualTo(400);
        assertThat(get("CustomersV3?$orderby=Nope").statusCode()).isEqualTo(400);
        assertThat(get("CustomersV3?$top=-1").statusCode()).isEqualTo(400);
        JsonNode one = json(get(US001 + "?$select=CreditLimit"));
        assertThat(one.get("CreditLimit").asInt()).isEqualTo(300);
        assertThat(one.has("CustomerGroupId")).isFalse();
    }

    @Test
    void largeResultsArePagedWithNextLinks() throws Exception {
        start(o -> o.foMaxPageSize = 2);
        for (int i = 1; i <= 5; i++) {
            create(null, "US-00" + i, "");
        }
        List<String> seen = new ArrayList<>();
        int pages = 0;
        String next = base + "CustomersV3?$filter=" + q("CustomerAccount ne 'none'");
        while (next != null) {
            JsonNode page = json(get(next));
            assertThat(page.get("value").size()).isLessThanOrEqualTo(2);
            seen.addAll(accounts(page));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("US-001", "US-002", "US-003", "US-004", "US-005");

        // $top larger than a page: the next links stop at $top records.
        List<String> topped = new ArrayList<>();
        next = base + "CustomersV3?$top=3";
        while (next != null) {
            JsonNode page = json(get(next));
            topped.addAll(accounts(page));
            next = page.has("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        assertThat(topped).containsExactly("US-001", "US-002", "US-003");
    }

    // ---- update and delete ----------------------------------------------------------------------

    @Test
    void patchUpdatesTheRecordAndHonoursIfMatch() throws Exception {
        start();
        String etag = json(create(null, "US-001", "\"OrganizationName\":\"Old\"")).get("@odata.etag").asText();

        HttpResponse<String> patched = send("PATCH", US001, "{\"OrganizationName\":\"New\"}", "If-Match", etag);
        assertThat(patched.statusCode()).isEqualTo(204);
        JsonNode now = json(get(US001));
        assertThat(now.get("OrganizationName").asText()).isEqualTo("New");
        assertThat(now.get("CustomerGroupId").asText()).isEqualTo("10"); // PATCH keeps what it does not name
        assertThat(now.get("@odata.etag").asText()).isNotEqualTo(etag);

        HttpResponse<String> stale = send("PATCH", US001, "{\"OrganizationName\":\"Lost\"}", "If-Match", etag);
        assertThat(stale.statusCode()).isEqualTo(412);
        innerMessage(stale);
        assertThat(json(get(US001)).get("OrganizationName").asText()).isEqualTo("New");

        assertThat(send("PATCH", US001, "{\"OrganizationName\":\"Any\"}", "If-Match", "*").statusCode()).isEqualTo(204);
        HttpResponse<String> changeKey = send("PATCH", US001, "{\"CustomerAccount\":\"US-002\"}");
        assertThat(changeKey.statusCode()).isEqualTo(400);
        assertThat(send("PATCH", "CustomersV3(dataAreaId='usmf',CustomerAccount='US-404')", "{\"OrganizationName\":\"x\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void deleteRemovesTheRecordAndHonoursIfMatch() throws Exception {
        start();
        String etag = json(create(null, "US-001", "")).get("@odata.etag").asText();
        assertThat(send("PATCH", US001, "{\"OrganizationName\":\"Changed\"}").statusCode()).isEqualTo(204);

        assertThat(send("DELETE", US001, null, "If-Match", etag).statusCode()).isEqualTo(412);
        assertThat(get(US001).statusCode()).isEqualTo(200);
        String current = json(get(US001)).get("@odata.etag").asText();
        assertThat(send("DELETE", US001, null, "If-Match", current).statusCode()).isEqualTo(204);
        assertThat(get(US001).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", US001, null).statusCode()).isEqualTo(404);
    }

    // ---- validation -----------------------------------------------------------------------------

    @Test
    void invalidWritesAreRefusedInTheF_OErrorShapeAndChangeNothing() throws Exception {
        start();
        HttpResponse<String> unknown = send("POST", "CustomersV3", customer(null, "US-001", "\"Colour\":\"red\""));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(innerMessage(unknown)).contains("The property 'Colour' does not exist on type 'Microsoft.Dynamics.DataEntities.CustomerV3'");

        HttpResponse<String> wrongType = send("POST", "CustomersV3", customer(null, "US-001", "\"OrganizationNumberOfEmployees\":\"many\""));
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(innerMessage(wrongType)).contains("Edm.Int32");

        HttpResponse<String> badEnum = send("POST", "CustomersV3", customer(null, "US-001", "\"IsOneTimeCustomer\":\"Maybe\""));
        assertThat(badEnum.statusCode()).isEqualTo(400);
        assertThat(innerMessage(badEnum)).contains("'Maybe'", "Microsoft.Dynamics.DataEntities.NoYes");

        HttpResponse<String> nulls = send("POST", "CustomersV3", customer(null, "US-001", "\"OrganizationName\":null"));
        assertThat(nulls.statusCode()).isEqualTo(400);
        assertThat(innerMessage(nulls)).contains("null value", "OrganizationName");

        HttpResponse<String> mandatory = send("POST", "CustomersV3", "{\"CustomerAccount\":\"US-001\",\"SalesCurrencyCode\":\"USD\"}");
        assertThat(mandatory.statusCode()).isEqualTo(400);
        assertThat(json(mandatory).get("error").get("innererror").get("type").asText()).endsWith("AxODataWriteException");
        assertThat(innerMessage(mandatory)).contains("Write failed for table row of type 'CustCustomerV3Entity'",
                "Field 'CustomerGroupId' must be filled in.");

        HttpResponse<String> readOnly = send("POST", "CustomersV3", customer(null, "US-001", "\"FullPrimaryAddress\":\"1 Main St\""));
        assertThat(readOnly.statusCode()).isEqualTo(400);
        assertThat(innerMessage(readOnly)).contains("FullPrimaryAddress", "read-only");

        assertThat(send("POST", "CustomersV3", "not json").statusCode()).isEqualTo(400);
        assertThat(json(get("CustomersV3?cross-company=true")).get("value")).isEmpty();
        assertThat(events).isEmpty();

        create(null, "US-001", "");
        HttpResponse<String> duplicate = send("POST", "CustomersV3", customer("USMF", "us-001", ""));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(innerMessage(duplicate)).contains("The record already exists");
        assertThat(events).hasSize(1);

        HttpResponse<String> patchNull = send("PATCH", US001, "{\"CustomerGroupId\":\"\"}");
        assertThat(patchNull.statusCode()).isEqualTo(400);
        assertThat(innerMessage(patchNull)).contains("Field 'CustomerGroupId' must be filled in.");
        assertThat(json(get(US001)).get("CustomerGroupId").asText()).isEqualTo("10");
    }

    // ---- events ---------------------------------------------------------------------------------

    @Test
    void everyCommittedWritePublishesAChangeEvent() throws Exception {
        start();
        HttpResponse<String> created = send("POST", "CustomersV3", customer(null, "US-001", "\"OrganizationName\":\"Contoso\""),
                "x-ms-correlation-request-id", "corr-1");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(send("PATCH", US001, "{\"OrganizationName\":\"Contoso Ltd\"}").statusCode()).isEqualTo(204);
        assertThat(send("DELETE", US001, null).statusCode()).isEqualTo(204);

        assertThat(events).extracting(ChangeEvent::message)
                .containsExactly(ChangeEvent.Message.Create, ChangeEvent.Message.Update, ChangeEvent.Message.Delete);
        ChangeEvent create = events.get(0);
        assertThat(create.entitySet()).isEqualTo("CustomersV3");
        assertThat(create.id()).isEqualTo("dataAreaId='usmf',CustomerAccount='US-001'");
        assertThat(create.correlationId()).isEqualTo("corr-1");
        assertThat(create.target()).containsEntry("OrganizationName", "Contoso").containsEntry("dataAreaId", "usmf");
        assertThat(create.preImage()).isNull();
        assertThat(create.postImage()).containsEntry("CustomerGroupId", "10");
        assertThat("W/\"" + create.rowVersion() + "\"").isEqualTo(json(created).get("@odata.etag").asText());

        ChangeEvent update = events.get(1);
        assertThat(update.target()).containsOnlyKeys("OrganizationName");
        assertThat(update.preImage()).containsEntry("OrganizationName", "Contoso");
        assertThat(update.postImage()).containsEntry("OrganizationName", "Contoso Ltd");
        assertThat(update.rowVersion()).isGreaterThan(create.rowVersion());
        assertThat(update.correlationId()).isNotBlank().isNotEqualTo("corr-1");

        ChangeEvent delete = events.get(2);
        assertThat(delete.postImage()).isNull();
        assertThat(delete.preImage()).containsEntry("OrganizationName", "Contoso Ltd");
        assertThat(delete.rowVersion()).isGreaterThan(update.rowVersion());
    }

    // ---- batch ----------------------------------------------------------------------------------

    private static String httpPart(String contentId, String requestLine, String body, String... headers) {
        StringBuilder b = new StringBuilder("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId != null) {
            b.append("Content-ID: ").append(contentId).append("\r\n");
        }
        b.append("\r\n").append(requestLine).append(" HTTP/1.1\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            b.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            b.append("Content-Type: application/json;odata.metadata=minimal\r\n\r\n").append(body).append("\r\n");
        } else {
            b.append("\r\n");
        }
        return b.toString();
    }

    private static String changeSet(String boundary, String... parts) {
        StringBuilder b = new StringBuilder("Content-Type: multipart/mixed; boundary=" + boundary + "\r\n\r\n");
        for (String p : parts) {
            b.append("--").append(boundary).append("\r\n").append(p);
        }
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    private HttpResponse<String> batch(String... parts) throws Exception {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append("--batch_1\r\n").append(p);
        }
        b.append("--batch_1--\r\n");
        return send("POST", "$batch", b.toString(), "Content-Type", "multipart/mixed; boundary=batch_1");
    }

    private static List<Integer> statuses(String multipart) {
        List<Integer> out = new ArrayList<>();
        Matcher m = Pattern.compile("HTTP/1.1 (\\d{3})").matcher(multipart);
        while (m.find()) {
            out.add(Integer.parseInt(m.group(1)));
        }
        return out;
    }

    @Test
    void batchChangeSetCommitsTogetherAndResolvesContentIdReferences() throws Exception {
        start();
        HttpResponse<String> r = batch(
                changeSet("changeset_a",
                        httpPart("1", "POST " + base + "CustomerGroups",
                                "{\"@odata.type\":\"#Microsoft.Dynamics.DataEntities.CustomerGroup\",\"CustomerGroupId\":\"Batch1\",\"Description\":\"One\"}"),
                        httpPart("2", "POST CustomerGroups", "{\"CustomerGroupId\":\"Batch 2\",\"dataAreaId\":\"usmf\"}"),
                        httpPart("3", "PATCH $2", "{\"Description\":\"Two\"}")),
                httpPart(null, "GET /data/CustomerGroups?$orderby=CustomerGroupId&$select=CustomerGroupId,Description", null));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("multipart/mixed; boundary=batchresponse_");
        assertThat(statuses(r.body())).containsExactly(201, 201, 204, 200);
        assertThat(r.body()).contains("Content-ID: 1", "Content-ID: 2", "Content-ID: 3", "\"Description\":\"Two\"");

        JsonNode groups = json(get("CustomerGroups?$orderby=CustomerGroupId"));
        assertThat(groups.get("value")).hasSize(2);
        assertThat(json(get("CustomerGroups(dataAreaId='usmf',CustomerGroupId='Batch%202')")).get("Description").asText()).isEqualTo("Two");
        assertThat(json(get("CustomerGroups(dataAreaId='usmf',CustomerGroupId='Batch1')")).get("Description").asText()).isEqualTo("One");
        assertThat(events).extracting(ChangeEvent::message)
                .containsExactly(ChangeEvent.Message.Create, ChangeEvent.Message.Create, ChangeEvent.Message.Update);
    }

    @Test
    void aFailedChangeSetChangesNothingAndPublishesNothing() throws Exception {
        start();
        assertThat(send("POST", "CustomerGroups", "{\"CustomerGroupId\":\"Existing\"}").statusCode()).isEqualTo(201);
        events.clear();

        HttpResponse<String> r = batch(
                changeSet("changeset_b",
                        httpPart("1", "POST CustomerGroups", "{\"CustomerGroupId\":\"Fresh\"}"),
                        httpPart("2", "PATCH CustomerGroups(dataAreaId='usmf',CustomerGroupId='Existing')", "{\"Description\":\"changed\"}"),
                        httpPart("3", "POST CustomerGroups", "{\"CustomerGroupId\":\"existing\"}")),
                httpPart(null, "GET CustomerGroups", null));
        assertThat(r.statusCode()).isEqualTo(200);
        // One answer for the change set: the failing request's error; the GET after it is not run.
        assertThat(statuses(r.body())).containsExactly(500);
        assertThat(r.body()).contains("Content-ID: 3", "The record already exists", "AxODataWriteException");

        JsonNode groups = json(get("CustomerGroups"));
        assertThat(groups.get("value")).hasSize(1);
        assertThat(groups.get("value").get(0).get("Description").asText()).isEmpty();
        assertThat(events).isEmpty();

        HttpResponse<String> getInside = batch(changeSet("changeset_c", httpPart("1", "GET CustomerGroups", null)));
        assertThat(statuses(getInside.body())).containsExactly(400);
        HttpResponse<String> badRef = batch(changeSet("changeset_d", httpPart("1", "PATCH $9", "{\"Description\":\"x\"}")));
        assertThat(statuses(badRef.body())).containsExactly(400);
        assertThat(send("POST", "$batch", "x", "Content-Type", "application/json").statusCode()).isEqualTo(400);
    }

    @Test
    void continueOnErrorRunsTheRestOfTheBatch() throws Exception {
        start();
        StringBuilder b = new StringBuilder()
                .append("--batch_1\r\n").append(httpPart(null, "GET Nowhere", null))
                .append("--batch_1\r\n").append(changeSet("cs", httpPart("1", "POST CustomerGroups", "{\"CustomerGroupId\":\"G1\"}")))
                .append("--batch_1--\r\n");
        HttpResponse<String> r = send("POST", "$batch", b.toString(), "Content-Type", "multipart/mixed; boundary=batch_1",
                "Prefer", "odata.continue-on-error");
        assertThat(statuses(r.body())).containsExactly(404, 201);
        assertThat(json(get("CustomerGroups")).get("value")).hasSize(1);
    }
}
