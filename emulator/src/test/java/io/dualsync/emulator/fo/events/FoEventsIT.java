package io.dualsync.emulator.fo.events;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * F&O data and business events delivered over real HTTP to a receiving server: payload shapes,
 * control numbers, retries and the control API.
 */
class FoEventsIT {
    private static final Pattern UPPER_GUID = Pattern.compile("[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}");
    private static final Pattern DOTNET_DATE = Pattern.compile("/Date\\((-?\\d+)\\)/");
    private static final Pattern ISO7 = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{7}Z");
    private static final Caller CALLER = Caller.forClient("dualsync-dev", "sync-app");

    private Vertx vertx;
    private EmulatorContext ctx;
    private EmulatorServer server;
    private HttpServer receiver;
    private String receiverUrl;
    private volatile Context emulatorLoop;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One request the receiving server got. */
    record Received(String path, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        EmulatorOptions options = new EmulatorOptions();
        options.auth = false;
        options.webhookTimeoutSeconds = 10;
        ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.FO);
        SchemaSet schemas = SchemaLoader.builtIn();
        schemas.all().stream().filter(s -> s.entitySet().equals("CustomersV3") || s.entitySet().equals("VendorsV2"))
                .forEach(s -> ctx.store().add(s));
        FoEvents events = new FoEvents(ctx);
        // Writes are published on the emulator's event loop; remember it from the first request.
        server = EmulatorServer.start(ctx, 0, List.of(router -> router.route().handler(rc -> {
            emulatorLoop = Vertx.currentContext();
            rc.next();
        }), events)).await(10, TimeUnit.SECONDS);

        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            Map<String, String> headers = new HashMap<>();
            req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            received.add(new Received(req.path(), headers, body.toString(StandardCharsets.UTF_8)));
            int n = hits.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
            int status = 200;
            if (req.path().startsWith("/down") || (req.path().startsWith("/flaky") && n <= 2)) {
                status = req.path().startsWith("/down") ? 503 : 500;
            }
            req.response().setStatusCode(status).end();
        })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        receiverUrl = "http://127.0.0.1:" + receiver.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- data events

    @Test
    void dataEvents_createUpdateDelete_arriveAsRemoteExecutionContexts() throws Exception {
        register(new JsonObject().put("url", receiverUrl + "/data").put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")));

        Map<String, Object> created = customer("usmf", "C-1", "Contoso", "Yes");
        Map<String, Object> updated = new LinkedHashMap<>(created);
        updated.put("OrganizationName", "Contoso Ltd");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", created, null, created, "corr-1"));
        publish(change(ChangeEvent.Message.Update, "CustomersV3", Map.of("OrganizationName", "Contoso Ltd"), created, updated, "corr-2"));
        publish(change(ChangeEvent.Message.Delete, "CustomersV3", Map.of(), updated, null, "corr-3"));

        await().atMost(Duration.ofSeconds(20)).until(() -> atPath("/data").size() == 3);
        Map<String, Received> byMessage = atPath("/data").stream()
                .collect(Collectors.toMap(r -> r.json().getString("MessageName"), r -> r));
        assertThat(byMessage).containsOnlyKeys("OnExternalCreated", "OnExternalUpdated", "OnExternalDeleted");

        JsonObject create = byMessage.get("OnExternalCreated").json();
        assertThat(create.fieldNames()).contains("BusinessUnitId", "CorrelationId", "Depth", "InitiatingUserId", "InputParameters",
                "IsExecutingOffline", "IsInTransaction", "IsOfflinePlayback", "IsolationMode", "MessageName", "Mode",
                "OperationCreatedOn", "OperationId", "OrganizationId", "OrganizationName", "OutputParameters", "OwningExtension",
                "ParentContext", "PostEntityImages", "PreEntityImages", "PrimaryEntityId", "PrimaryEntityName", "RequestId",
                "SecondaryEntityName", "SharedVariables", "Stage", "UserId");
        assertThat(create.getString("PrimaryEntityName")).isEqualTo("mserp_custcustomerv3entity");
        assertThat(create.getInteger("Stage")).isEqualTo(40);
        assertThat(create.getInteger("Mode")).isEqualTo(1);
        assertThat(create.getString("CorrelationId")).isEqualTo("corr-1");
        assertThat(create.getString("InitiatingUserId")).isEqualTo(CALLER.userId().toString());
        assertThat(create.getString("UserId")).isEqualTo(CALLER.userId().toString());
        assertThat(create.getString("OperationCreatedOn")).matches("/Date\\(\\d+\\+0000\\)/");
        assertThat(parameterKeys(create)).containsExactly("Target");

        JsonObject target = parameter(create, "Target");
        assertThat(target.getString("__type")).isEqualTo("Entity:http://schemas.microsoft.com/xrm/2011/Contracts");
        assertThat(target.getString("LogicalName")).isEqualTo("mserp_custcustomerv3entity");
        assertThat(target.getString("Id")).isEqualTo(create.getString("PrimaryEntityId"));
        Map<String, Object> attributes = attributes(target);
        assertThat(attributes).containsEntry("mserp_customeraccount", "C-1").containsEntry("mserp_dataareaid", "usmf")
                .containsEntry("mserp_organizationname", "Contoso").containsEntry("mserp_primaryfield", "usmf|C-1")
                .containsEntry("mserp_custcustomerv3entityid", target.getString("Id"));
        // Enums are option sets; the symbol is the formatted value.
        assertThat(((JsonObject) attributes.get("mserp_creditlimitismandatory")).getInteger("Value")).isEqualTo(200_000_001);
        assertThat(formattedValues(target)).containsEntry("mserp_creditlimitismandatory", "Yes");

        Received updateRequest = byMessage.get("OnExternalUpdated");
        JsonObject update = updateRequest.json();
        assertThat(parameterKeys(update)).containsExactly("Target", "PreImage");
        assertThat(attributes(parameter(update, "Target"))).containsEntry("mserp_organizationname", "Contoso Ltd");
        assertThat(attributes(parameter(update, "PreImage"))).containsEntry("mserp_organizationname", "Contoso");
        assertThat(update.getString("PrimaryEntityId")).as("same record, same id").isEqualTo(create.getString("PrimaryEntityId"));
        // Dataverse's webhook headers.
        assertThat(updateRequest.headers()).containsEntry("x-ms-dynamics-request-name", "OnExternalUpdated")
                .containsEntry("x-ms-dynamics-entity-name", "mserp_custcustomerv3entity")
                .containsEntry("x-ms-correlation-request-id", "corr-2").containsKey("x-request-id");

        JsonObject delete = byMessage.get("OnExternalDeleted").json();
        assertThat(parameterKeys(delete)).containsExactly("Target", "PreImage");
        assertThat(attributes(parameter(delete, "Target"))).containsEntry("mserp_customeraccount", "C-1")
                .containsEntry("mserp_dataareaid", "usmf").doesNotContainKey("mserp_organizationname");
        assertThat(attributes(parameter(delete, "PreImage"))).containsEntry("mserp_organizationname", "Contoso Ltd");
        assertThat(delete.getString("PrimaryEntityId")).isEqualTo(create.getString("PrimaryEntityId"));
    }

    @Test
    void dataEndpoint_receivesOnlyItsEntitiesEventsAndLegalEntity() throws Exception {
        String deletesInUsmf = register(new JsonObject().put("url", receiverUrl + "/deletes").put("kind", "data")
                .put("entitySet", "CustomersV3").put("events", new JsonArray().add("Deleted")).put("legalEntity", "USMF"))
                .getString("id");

        Map<String, Object> usmf = customer("usmf", "C-1", "Contoso", "No");
        Map<String, Object> dat = customer("dat", "C-2", "Fabrikam", "No");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", usmf, null, usmf, "c1"));
        publish(change(ChangeEvent.Message.Delete, "CustomersV3", Map.of(), dat, null, "c2"));
        publish(change(ChangeEvent.Message.Delete, "VendorsV2", Map.of(),
                Map.of("dataAreaId", "usmf", "VendorAccountNumber", "V-1"), null, "c3"));
        publish(change(ChangeEvent.Message.Delete, "CustomersV3", Map.of(), usmf, null, "c4"));

        // Deliveries are created when the write is published, so once c4's is done every other would be listed.
        await().atMost(Duration.ofSeconds(20)).until(() -> counts(deletesInUsmf).getInteger("delivered") == 1);
        JsonObject log = getJson("/_emulator/events/deliveries?endpoint=" + deletesInUsmf);
        assertThat(log.getJsonArray("value")).hasSize(1);
        assertThat(log.getJsonArray("value").getJsonObject(0).getString("event")).isEqualTo("OnExternalDeleted");
        assertThat(atPath("/deletes")).singleElement()
                .satisfies(r -> assertThat(r.json().getString("CorrelationId")).isEqualTo("c4"));
    }

    // ---------------------------------------------------------------- business events

    @Test
    void businessEvents_carryTheEnvelope_withIncreasingControlNumbersWithGaps() throws Exception {
        register(new JsonObject().put("url", receiverUrl + "/business").put("kind", "business")
                .put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent"))
                .put("headers", new JsonObject().put("Authorization", "Bearer secret-1")));

        Instant time = Instant.parse("2024-05-06T07:08:09.123456789Z");
        Map<String, Object> c1 = customer("usmf", "C-1", "Contoso", "No");
        Map<String, Object> c2 = customer("usmf", "C-2", "Fabrikam", "No");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", c1, null, c1, "a", time));
        publish(change(ChangeEvent.Message.Create, "CustomersV3", c2, null, c2, "b", time));
        publish(change(ChangeEvent.Message.Update, "CustomersV3", Map.of("OrganizationName", "x"), c1, c1, "c", time));

        await().atMost(Duration.ofSeconds(20)).until(() -> atPath("/business").size() == 3);
        List<JsonObject> events = atPath("/business").stream().map(Received::json)
                .sorted(Comparator.comparingLong(e -> e.getLong("ControlNumber"))).toList();

        List<Long> controlNumbers = events.stream().map(e -> e.getLong("ControlNumber")).toList();
        assertThat(controlNumbers.get(0)).isGreaterThanOrEqualTo(5_637_144_576L);
        assertThat(controlNumbers).doesNotHaveDuplicates();
        assertThat(controlNumbers.get(2) - controlNumbers.get(0)).as("not a gap-free sequence").isGreaterThan(2);
        assertThat(events.stream().map(e -> e.getString("CustomerAccount")).toList())
                .as("raised in commit order").containsExactly("C-1", "C-2", "C-1");

        for (JsonObject e : events) {
            assertThat(e.getString("BusinessEventId")).isEqualTo("CustomerChangedBusinessEvent");
            assertThat(e.getString("BusinessEventLegalEntity")).isEqualTo("usmf");
            assertThat(e.getString("ContextRecordSubject")).isEmpty();
            assertThat(e.getString("EventId")).matches(UPPER_GUID);
            assertThat(e.getString("EventTime")).isEqualTo("/Date(" + Instant.parse("2024-05-06T07:08:09Z").toEpochMilli() + ")/");
            assertThat(e.getString("EventTimeIso8601")).isEqualTo("2024-05-06T07:08:09.1234567Z").matches(ISO7);
            assertThat(e.getString("InitiatingUserAADObjectId"))
                    .isEqualTo("{" + CALLER.userId().toString().toUpperCase(Locale.ROOT) + "}");
            assertThat(e.getInteger("MajorVersion")).isZero();
            assertThat(e.getInteger("MinorVersion")).isZero();
            assertThat(e.getJsonArray("ParentContextRecordSubjects")).isEmpty();
            assertThat(e.getString("dataAreaId")).isEqualTo("usmf");
            assertThat(e.fieldNames()).containsExactlyInAnyOrder("BusinessEventId", "BusinessEventLegalEntity",
                    "ContextRecordSubject", "ControlNumber", "CustomerAccount", "EventId", "EventTime", "EventTimeIso8601",
                    "InitiatingUserAADObjectId", "MajorVersion", "MinorVersion", "ParentContextRecordSubjects", "dataAreaId");
        }
        assertThat(events.stream().map(e -> e.getString("EventId")).collect(Collectors.toSet())).hasSize(3);
        assertThat(atPath("/business")).allSatisfy(r -> {
            assertThat(r.headers()).containsEntry("authorization", "Bearer secret-1");
            assertThat(keysInOrder(r.body())).as("DataContract writes members in ordinal order").isSorted();
        });
    }

    @Test
    void businessEvent_hasTheReferenceSamplesEnvelope() throws Exception {
        JsonObject sample;
        try (InputStream in = getClass().getResourceAsStream("fo-business-event-alert.json")) {
            sample = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        register(new JsonObject().put("url", receiverUrl + "/sample").put("kind", "business")
                .put("businessEventId", "VendorChangedBusinessEvent"));
        Map<String, Object> vendor = Map.of("dataAreaId", "usmf", "VendorAccountNumber", "V-1");
        publish(change(ChangeEvent.Message.Create, "VendorsV2", vendor, null, vendor, "v"));
        await().atMost(Duration.ofSeconds(20)).until(() -> atPath("/sample").size() == 1);
        Received got = atPath("/sample").get(0);
        JsonObject ours = got.json();

        // The envelope is what both share; the sample's other keys are the alert's own contract.
        Set<String> shared = new TreeSet<>(sample.fieldNames());
        shared.retainAll(ours.fieldNames());
        assertThat(shared).containsExactly("BusinessEventId", "ControlNumber", "EventId", "EventTime", "MajorVersion", "MinorVersion");
        for (String key : shared) {
            assertThat(kind(ours.getValue(key))).as(key).isEqualTo(kind(sample.getValue(key)));
        }
        for (JsonObject e : List.of(sample, ours)) {
            assertThat(e.getString("EventId")).matches(UPPER_GUID);
            assertThat(e.getString("EventTime")).matches(DOTNET_DATE);
            assertThat(e.getLong("ControlNumber")).isGreaterThan(5_637_144_575L);
        }
        assertThat(keysInOrder(sample.encode())).isSorted();
        assertThat(keysInOrder(got.body())).isSorted();
    }

    // ---------------------------------------------------------------- delivery

    @Test
    void failingTwice_isDeliveredOnTheThirdAttempt() throws Exception {
        String id = register(new JsonObject().put("url", receiverUrl + "/flaky").put("kind", "business")
                .put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent"))).getString("id");
        Map<String, Object> c = customer("usmf", "C-9", "Retry", "No");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", c, null, c, "r"));

        await().atMost(Duration.ofSeconds(20)).until(() -> counts(id).getInteger("delivered") == 1);
        JsonObject delivery = getJson("/_emulator/events/deliveries?endpoint=" + id).getJsonArray("value").getJsonObject(0);
        assertThat(delivery.getString("status")).isEqualTo("delivered");
        assertThat(delivery.getInteger("attemptCount")).isEqualTo(3);
        assertThat(delivery.getJsonArray("attempts").stream().map(a -> ((JsonObject) a).getInteger("statusCode")).toList())
                .containsExactly(500, 500, 200);
        List<Received> requests = atPath("/flaky");
        assertThat(requests).hasSize(3);
        assertThat(requests.stream().map(r -> r.json().getString("EventId")).distinct()).as("the same event each time").hasSize(1);
    }

    @Test
    void failingAlways_isTriedFourTimes_andKeptAsFailed() throws Exception {
        String id = register(new JsonObject().put("url", receiverUrl + "/down").put("kind", "data")
                .put("entitySets", new JsonArray().add("CustomersV3"))).getString("id");
        Map<String, Object> c = customer("usmf", "C-8", "Down", "No");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", c, null, c, "d"));

        await().atMost(Duration.ofSeconds(20)).until(() -> counts(id).getInteger("failed") == 1);
        JsonObject failed = getJson("/_emulator/events/deliveries?status=failed").getJsonArray("value").getJsonObject(0);
        assertThat(failed.getInteger("attemptCount")).as("one attempt and three retries").isEqualTo(4);
        assertThat(atPath("/down")).hasSize(4);
        List<Instant> at = failed.getJsonArray("attempts").stream().map(a -> Instant.parse(((JsonObject) a).getString("at"))).toList();
        assertThat(Duration.between(at.get(0), at.get(3))).as("retries a second apart").isGreaterThanOrEqualTo(Duration.ofMillis(2900));

        // Resend runs the outbound processing again, retries included.
        HttpResponse<String> resend = send(HttpRequest.newBuilder(uri("/_emulator/events/deliveries/" + failed.getLong("id") + "/resend"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(resend.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> atPath("/down").size() == 8 && counts(id).getInteger("failed") == 1);
    }

    // ---------------------------------------------------------------- control API

    @Test
    void endpoints_canBeListedAndDeleted_andBadRegistrationsAreRefused() throws Exception {
        String gone = register(new JsonObject().put("url", receiverUrl + "/gone").put("kind", "business")
                .put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent"))
                .put("headers", new JsonObject().put("Authorization", "Bearer hidden"))).getString("id");
        String kept = register(new JsonObject().put("id", "kept").put("url", receiverUrl + "/kept").put("kind", "business")
                .put("businessEvents", new JsonArray().add(new JsonObject().put("businessEventId", "ContosoCustomerCreatedBusinessEvent")
                        .put("entitySet", "CustomersV3").put("fields", new JsonArray().add("CustomerAccount"))
                        .put("events", new JsonArray().add("Created"))))).getString("id");
        assertThat(kept).isEqualTo("kept");

        JsonArray list = getJson("/_emulator/events/endpoints").getJsonArray("value");
        assertThat(list).hasSize(2);
        assertThat(list.encode()).as("header values are not shown").doesNotContain("Bearer hidden").contains("Authorization");

        assertThat(send(HttpRequest.newBuilder(uri("/_emulator/events/endpoints/" + gone)).DELETE()).statusCode()).isEqualTo(204);
        assertThat(send(HttpRequest.newBuilder(uri("/_emulator/events/endpoints/" + gone)).DELETE()).statusCode()).isEqualTo(404);
        assertThat(getJson("/_emulator/events/endpoints").getJsonArray("value")).hasSize(1);

        Map<String, Object> c = customer("usmf", "C-3", "Kept", "No");
        publish(change(ChangeEvent.Message.Create, "CustomersV3", c, null, c, "k"));
        await().atMost(Duration.ofSeconds(20)).until(() -> atPath("/kept").size() == 1);
        assertThat(atPath("/kept").get(0).json().getString("BusinessEventId")).isEqualTo("ContosoCustomerCreatedBusinessEvent");
        assertThat(getJson("/_emulator/events/deliveries").getJsonArray("value")).as("nothing for the deleted endpoint").hasSize(1);

        for (JsonObject bad : List.of(new JsonObject().put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")),
                new JsonObject().put("url", "ftp://x").put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")),
                new JsonObject().put("url", receiverUrl).put("kind", "data"),
                new JsonObject().put("url", receiverUrl).put("kind", "data").put("entitySet", "CustomersV3").put("events", new JsonArray().add("Posted")),
                new JsonObject().put("url", receiverUrl).put("kind", "business").put("businessEvents", new JsonArray().add("NoSuchBusinessEvent")),
                new JsonObject().put("url", receiverUrl).put("kind", "alerts"))) {
            HttpResponse<String> r = post("/_emulator/events/endpoints", bad.encode());
            assertThat(r.statusCode()).as(bad.encode()).isEqualTo(400);
            assertThat(new JsonObject(r.body()).getJsonObject("error").getString("message")).isNotBlank();
        }
        assertThat(post("/_emulator/events/endpoints", "not json").statusCode()).isEqualTo(400);
    }

    // ---------------------------------------------------------------- helpers

    private static Map<String, Object> customer(String company, String account, String name, String creditLimitIsMandatory) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dataAreaId", company);
        row.put("CustomerAccount", account);
        row.put("OrganizationName", name);
        row.put("CustomerGroupId", "10");
        row.put("CreditLimitIsMandatory", creditLimitIsMandatory);
        return row;
    }

    private ChangeEvent change(ChangeEvent.Message message, String entitySet, Map<String, Object> target,
                               Map<String, Object> pre, Map<String, Object> post, String correlationId) {
        return change(message, entitySet, target, pre, post, correlationId, Instant.now());
    }

    /** A committed write as the F&O API publishes it: the row id is the entity key's normalized values. */
    private ChangeEvent change(ChangeEvent.Message message, String entitySet, Map<String, Object> target,
                               Map<String, Object> pre, Map<String, Object> post, String correlationId, Instant time) {
        Map<String, Object> row = post != null ? post : pre;
        String id = Table.keyOf(ctx.store().table(entitySet).schema().keys().get(0), row);
        return new ChangeEvent(entitySet, message, id, target, pre, post, CALLER, correlationId, Map.of(), 1, time);
    }

    /** Publishes a write on the emulator's event loop, as the F&O API does after committing it. */
    private void publish(ChangeEvent e) throws Exception {
        assertThat(emulatorLoop).as("a request reached the emulator first").isNotNull();
        emulatorLoop.runOnContext(v -> ctx.publish(e));
    }

    private JsonObject register(JsonObject spec) throws Exception {
        HttpResponse<String> r = post("/_emulator/events/endpoints", spec.encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return new JsonObject(r.body());
    }

    private JsonObject counts(String endpointId) throws Exception {
        return getJson("/_emulator/events/deliveries?endpoint=" + endpointId).getJsonObject("counts");
    }

    private List<Received> atPath(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private static List<String> parameterKeys(JsonObject context) {
        return context.getJsonArray("InputParameters").stream().map(p -> ((JsonObject) p).getString("key")).toList();
    }

    private static JsonObject parameter(JsonObject context, String key) {
        return context.getJsonArray("InputParameters").stream().map(p -> (JsonObject) p)
                .filter(p -> p.getString("key").equals(key)).findFirst().orElseThrow().getJsonObject("value");
    }

    private static Map<String, Object> attributes(JsonObject entity) {
        return pairs(entity.getJsonArray("Attributes"));
    }

    private static Map<String, Object> formattedValues(JsonObject entity) {
        return pairs(entity.getJsonArray("FormattedValues"));
    }

    private static Map<String, Object> pairs(JsonArray list) {
        Map<String, Object> m = new LinkedHashMap<>();
        list.forEach(p -> m.put(((JsonObject) p).getString("key"), ((JsonObject) p).getValue("value")));
        return m;
    }

    /** The top-level keys of a JSON object in the order they were written. */
    private static List<String> keysInOrder(String json) {
        List<String> keys = new ArrayList<>();
        try (var parser = new com.fasterxml.jackson.core.JsonFactory().createParser(json)) {
            parser.nextToken();
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                keys.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    private static String kind(Object v) {
        return v instanceof Number ? "number" : v instanceof String ? "string" : v == null ? "null" : v.getClass().getSimpleName();
    }

    private URI uri(String path) {
        return URI.create(server.baseUrl() + path);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
