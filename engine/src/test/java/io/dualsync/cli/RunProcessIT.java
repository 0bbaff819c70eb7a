package io.dualsync.cli;

import io.dualsync.connector.http.Emulated;
import io.dualsync.journal.ChronicleJournal;
import io.dualsync.journal.Durability;
import io.dualsync.journal.JournalOptions;
import io.dualsync.journal.JournalReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dualsync run} as a separate process against the emulators: bad input on every ingest endpoint
 * is refused with the right status and a message naming the problem, nothing of it is journaled, and
 * the engine keeps serving; SIGTERM while writes hang exits cleanly, and after a restart the events
 * that were acknowledged but not applied are applied exactly once.
 */
class RunProcessIT {
    private static final String FO_HEADER = "X-Dualsync-Key";
    private static final String FO_KEY = "fo-test-key";
    private static final String DV_CODE = "dataverse-test-code";
    private static final String EVENTS_HEADER = "X-Events-Key";
    private static final String EVENTS_KEY = "events-test-key";
    private static final int MAX_BODY = 8192;
    private static final String PERSON = UUID.nameUUIDFromBytes("person:run-test".getBytes(StandardCharsets.UTF_8)).toString();
    private static final String ENGINE_USER = UUID.nameUUIDFromBytes("app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();
    private static final String INGEST = "dualsync_ingest_events_total";
    private static final Pattern ACCOUNT_NUMBER = Pattern.compile("accountnumber='([^']*)'");

    @TempDir
    Path tmp;

    @RegisterExtension
    final EngineProcess.Launcher engines = new EngineProcess.Launcher();

    private Emulated emulated;

    @BeforeEach
    void emulators() {
        emulated = Emulated.start();
    }

    @AfterEach
    void stop() {
        if (emulated != null) {
            emulated.close();
        }
    }

    private Path config() throws IOException {
        return EngineProcess.writeConfig(tmp.resolve("dualsync.yaml"), emulated, tmp.resolve("journal"), 0, ENGINE_USER,
                "server.maxBodyBytes: " + MAX_BODY,
                "webhooks.dataverse.auth.type: WebhookKey",
                "webhooks.dataverse.auth.value: " + DV_CODE,
                "webhooks.fo.auth.type: HttpHeader",
                "webhooks.fo.auth.name: " + FO_HEADER,
                "webhooks.fo.auth.value: " + FO_KEY,
                "events.auth.type: HttpHeader",
                "events.auth.name: " + EVENTS_HEADER,
                "events.auth.value: " + EVENTS_KEY,
                "shutdown.drainTimeout: 2s");
    }

    /** One request that must be refused, and how. */
    private record Refused(String what, String path, String body, List<String> headers, int status, String code,
                           String result, String messagePart) {
    }

    @Test
    void badInput_isRefusedWithItsReason_nothingIsJournaled_andTheEngineKeepsServing() throws Exception {
        EngineProcess engine = engines.start(config(), tmp.resolve("run.log"));
        List<String> fo = List.of(FO_HEADER, FO_KEY);
        List<String> events = List.of(EVENTS_HEADER, EVENTS_KEY);
        String dv = "/webhooks/dataverse?code=" + DV_CODE;
        JsonObject usmf003 = foCustomer("US-003");
        String oversized = "{\"pad\": \"" + "x".repeat(MAX_BODY) + "\"}";
        JsonObject foEvent = FoDataEvents.customer("OnExternalUpdated", usmf003.getMap(), PERSON, Instant.now());

        JsonObject foUnknown = foEvent.copy().put("PrimaryEntityName", "mserp_nosuchentity");
        JsonObject foNoKey = FoDataEvents.customer("OnExternalUpdated", Map.of("dataAreaId", "usmf",
                "OrganizationName", "No Key Ltd"), PERSON, Instant.now());
        // without the account there is no usable mserp_primaryfield either
        stripAttribute(foNoKey, "mserp_primaryfield");

        String accountId = accountId("US-002");
        JsonObject dvUnknown = dataverseUpdate(accountId, "Nobody").put("PrimaryEntityName", "nosuchtable");
        JsonObject dvNoId = dataverseUpdate(accountId, "Nobody").put("PrimaryEntityId", null);
        dvNoId.getJsonArray("InputParameters").getJsonObject(0).getJsonObject("value").put("Id", null);

        JsonObject envelope = new JsonObject().put("eventId", UUID.randomUUID().toString()).put("source", "fo")
                .put("entity", "CustomersV3").put("operation", "update")
                .put("key", new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", "US-004"));
        JsonObject envUnknown = envelope.copy().put("entity", "NoSuchEntity");
        JsonObject envNoKey = envelope.copy();
        envNoKey.remove("key");

        List<Refused> refused = List.of(
                new Refused("F&O: not JSON", "/webhooks/fo", "{\"MessageName\": \"OnExternalUpdated\",", fo, 400,
                        "malformed", "malformed", "line 1"),
                new Refused("F&O: unknown entity", "/webhooks/fo", foUnknown.encode(), fo, 422, "unknown-entity",
                        "rejected", "mserp_nosuchentity"),
                new Refused("F&O: no key", "/webhooks/fo", foNoKey.encode(), fo, 422, "missing-key", "rejected",
                        "mserp_customeraccount"),
                new Refused("F&O: wrong key", "/webhooks/fo", foEvent.encode(), List.of(FO_HEADER, "wrong"), 401,
                        "unauthorized", "unauthorized", "/webhooks/fo"),
                new Refused("F&O: no key header", "/webhooks/fo", foEvent.encode(), List.of(), 401, "unauthorized",
                        "unauthorized", "/webhooks/fo"),
                new Refused("F&O: too large", "/webhooks/fo", oversized, fo, 413, "too-large", "too_large",
                        Integer.toString(MAX_BODY)),

                new Refused("Dataverse: not JSON", dv, "{\"MessageName\": ]", List.of(), 400, "malformed", "malformed",
                        "line 1"),
                new Refused("Dataverse: unknown table", dv, dvUnknown.encode(), List.of(), 422, "unknown-entity", "rejected",
                        "nosuchtable"),
                new Refused("Dataverse: no record id", dv, dvNoId.encode(), List.of(), 422, "missing-key", "rejected",
                        "record id"),
                new Refused("Dataverse: wrong code", "/webhooks/dataverse?code=wrong", dataverseUpdate(accountId, "x").encode(),
                        List.of(), 401, "unauthorized", "unauthorized", "/webhooks/dataverse"),
                new Refused("Dataverse: no code", "/webhooks/dataverse", dataverseUpdate(accountId, "x").encode(), List.of(),
                        401, "unauthorized", "unauthorized", "/webhooks/dataverse"),
                new Refused("Dataverse: too large", dv, oversized, List.of(), 413, "too-large", "too_large",
                        Integer.toString(MAX_BODY)),

                new Refused("/events: not JSON", "/events", "[{\"eventId\": 1,,", events, 400, "malformed", "malformed",
                        "line 1"),
                new Refused("/events: unknown entity", "/events", envUnknown.encode(), events, 422, "unknown-entity",
                        "rejected", "NoSuchEntity"),
                new Refused("/events: no key", "/events", envNoKey.encode(), events, 422, "missing-key", "rejected", "'key'"),
                new Refused("/events: wrong key", "/events", envelope.encode(), List.of(EVENTS_HEADER, "wrong"), 401,
                        "unauthorized", "unauthorized", "/events"),
                new Refused("/events: no key header", "/events", envelope.encode(), List.of(), 401, "unauthorized",
                        "unauthorized", "/events"),
                new Refused("/events: too large", "/events", oversized, events, 413, "too-large", "too_large",
                        Integer.toString(MAX_BODY)));

        for (Refused r : refused) {
            HttpResponse<String> answer = engine.post(r.path(), r.body(), r.headers().toArray(new String[0]));
            assertThat(answer.statusCode()).as("%s: %s", r.what(), answer.body()).isEqualTo(r.status());
            JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
            assertThat(error.getString("code")).as(r.what()).isEqualTo(r.code());
            assertThat(error.getString("message")).as(r.what()).contains(r.messagePart());
        }

        Map<String, Double> counted = engine.samples(INGEST);
        for (String source : List.of("fo", "dataverse", "events")) {
            assertThat(EngineProcess.Metrics.sum(counted, "source=\"" + source + "\"", "result=\"accepted\""))
                    .as("events accepted on %s", source).isZero();
            for (String result : List.of("malformed", "rejected", "unauthorized", "too_large")) {
                String route = source.equals("fo") ? "/webhooks/fo" : source.equals("dataverse") ? "/webhooks/dataverse" : "/events";
                long expected = refused.stream().filter(r -> r.path().startsWith(route) && r.result().equals(result)).count();
                assertThat(EngineProcess.Metrics.sum(counted, "source=\"" + source + "\"", "result=\"" + result + "\""))
                        .as("%s requests on %s", result, source).isEqualTo((double) expected);
            }
        }

        // good events on each route are still accepted and applied
        emulated.control(emulated.foUrl(), "PATCH", "rows/CustomersV3/dataAreaId='usmf',CustomerAccount='US-003'",
                new JsonObject().put("OrganizationName", "Forest after bad input"));
        JsonObject row = foCustomer("US-003");
        assertAccepted(engine.post("/webhooks/fo", FoDataEvents.customer("OnExternalUpdated", row.getMap(), PERSON,
                Instant.now()).encode(), FO_HEADER, FO_KEY));

        emulated.control(emulated.dataverseUrl(), "PATCH", "rows/accounts/" + accountId,
                new JsonObject().put("name", "Los Angeles after bad input"));
        assertAccepted(engine.post(dv, dataverseUpdate(accountId, "Los Angeles after bad input").encode()));

        emulated.control(emulated.foUrl(), "PATCH", "rows/CustomersV3/dataAreaId='usmf',CustomerAccount='US-004'",
                new JsonObject().put("OrganizationName", "Cave after bad input"));
        assertAccepted(engine.post("/events", envelope.encode(), EVENTS_HEADER, EVENTS_KEY));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(account("US-003").getString("name")).isEqualTo("Forest after bad input");
            assertThat(foCustomer("US-002").getString("OrganizationName")).isEqualTo("Los Angeles after bad input");
            assertThat(account("US-004").getString("name")).isEqualTo("Cave after bad input");
        });
        Map<String, Double> after = engine.samples(INGEST);
        for (String source : List.of("fo", "dataverse", "events")) {
            assertThat(EngineProcess.Metrics.sum(after, "source=\"" + source + "\"", "result=\"accepted\""))
                    .as("events accepted on %s", source).isEqualTo(1.0);
        }

        engine.terminate();
        engine.awaitExit(Duration.ofSeconds(60));
        assertThat(journaledEvents()).as("events in the journal: the three good ones").isEqualTo(3);
    }

    @Test
    void sigterm_whileWritesHang_exitsCleanly_andAfterARestartTheHeldEventsApplyExactlyOnce() throws Exception {
        Path config = config();
        List<Map<String, Object>> customers = new ArrayList<>();
        JsonArray rows = new JsonArray();
        for (int i = 1; i <= 5; i++) {
            Map<String, Object> c = customer("HD-00" + i, "Held " + i);
            customers.add(c);
            rows.add(new JsonObject(new LinkedHashMap<>(c)));
        }
        emulated.insertRows(emulated.foUrl(), "CustomersV3", rows);
        EngineProcess first = engines.start(config, tmp.resolve("run-1.log"));
        emulated.startRequestLog(emulated.dataverseUrl(), 10_000);

        String applied = FoDataEvents.customer("OnExternalCreated", customers.get(0), PERSON, Instant.now()).encode();
        assertAccepted(first.post("/webhooks/fo", applied, FO_HEADER, FO_KEY));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(account("HD-001")).isNotNull());

        // Dataverse stops answering writes: the next events are acknowledged and journaled, not applied
        emulated.fault(emulated.dataverseUrl(), new JsonObject().put("type", "hang").put("entitySet", "accounts")
                .put("method", "PATCH"));
        for (Map<String, Object> c : customers.subList(1, 5)) {
            assertAccepted(first.post("/webhooks/fo", FoDataEvents.customer("OnExternalCreated", c, PERSON, Instant.now())
                    .encode(), FO_HEADER, FO_KEY));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> heldRequests() >= 1);

        first.terminate();
        // during the shutdown intake answers 503 (the probe is a redelivery of the applied event, harmless if taken)
        AtomicReference<HttpResponse<String>> stopping = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            try {
                HttpResponse<String> r = first.post("/webhooks/fo", applied, FO_HEADER, FO_KEY);
                if (r.statusCode() == 503) {
                    stopping.set(r);
                    return true;
                }
                return false;
            } catch (IOException e) {
                return true; // already gone
            }
        });
        first.awaitExit(Duration.ofSeconds(60));
        assertThat(stopping.get()).as("an answer while stopping").isNotNull();
        assertThat(stopping.get().headers().firstValue("Retry-After")).isPresent();
        assertThat(new JsonObject(stopping.get().body()).getJsonObject("error").getString("code")).isEqualTo("stopped");

        // the held requests went with the process: nothing was written
        await().atMost(Duration.ofSeconds(60)).until(() -> heldRequests() == 0);
        emulated.clearFaults(emulated.dataverseUrl());
        for (int i = 2; i <= 5; i++) {
            assertThat(account("HD-00" + i)).as("HD-00%d before the restart", i).isNull();
        }

        EngineProcess second = engines.start(config, tmp.resolve("run-2.log"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int i = 2; i <= 5; i++) {
                assertThat(account("HD-00" + i)).as("HD-00%d after the restart", i).isNotNull();
            }
        });
        // a later change of the record applied before the shutdown: once it is there, any replay of that
        // record's earlier event (same lane, journal order) would have been written before it
        Map<String, Object> renamed = new LinkedHashMap<>(customers.get(0));
        renamed.put("OrganizationName", "Held 1 renamed");
        emulated.control(emulated.foUrl(), "PATCH", "rows/CustomersV3/dataAreaId='usmf',CustomerAccount='HD-001'",
                new JsonObject().put("OrganizationName", "Held 1 renamed"));
        assertAccepted(second.post("/webhooks/fo", FoDataEvents.customer("OnExternalUpdated", renamed, PERSON,
                Instant.now()).encode(), FO_HEADER, FO_KEY));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(account("HD-001").getString("name")).isEqualTo("Held 1 renamed"));

        Map<String, List<String>> written = new LinkedHashMap<>();
        for (JsonObject e : emulated.requests(emulated.dataverseUrl())) {
            int status = e.getInteger("status");
            if ("PATCH".equals(e.getString("method")) && status >= 200 && status < 300 && e.getString("body") != null) {
                Matcher number = ACCOUNT_NUMBER.matcher(URLDecoder.decode(e.getString("uri"), StandardCharsets.UTF_8));
                assertThat(number.find()).as("account number in %s", e.getString("uri")).isTrue();
                written.computeIfAbsent(number.group(1), k -> new ArrayList<>())
                        .add(new JsonObject(e.getString("body")).getString("name"));
            }
        }
        assertThat(written).as("names written to Dataverse per account (request log)").containsExactlyInAnyOrderEntriesOf(Map.of(
                "HD-001", List.of("Held 1", "Held 1 renamed"),
                "HD-002", List.of("Held 2"),
                "HD-003", List.of("Held 3"),
                "HD-004", List.of("Held 4"),
                "HD-005", List.of("Held 5")));
    }

    @Test
    void sigterm_exitsWithStatus0_andSaysItStopped() throws Exception {
        EngineProcess engine = engines.start(config(), tmp.resolve("run.log"));
        engine.terminate();
        assertThat(engine.awaitExit(Duration.ofSeconds(60))).as("exit code after SIGTERM; output:%n%s", engine.tail(30))
                .isZero();
        assertThat(engine.output()).as("what `run` printed").contains("dualsync: stopped");
    }

    // ---- helpers

    private static void assertAccepted(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private long heldRequests() {
        return emulated.control(emulated.dataverseUrl(), "GET", "health", null).getLong("heldRequests", 0L);
    }

    /** Entries in the journal, read with a reader of our own once the engine has exited. */
    private long journaledEvents() throws Exception {
        try (ChronicleJournal journal = ChronicleJournal.open(tmp.resolve("journal").resolve("queue"), Durability.PROCESS,
                JournalOptions.defaults())) {
            JournalReader reader = journal.reader("test-count");
            long n = 0;
            while (reader.next() != null) {
                n++;
            }
            return n;
        }
    }

    private static Map<String, Object> customer(String account, String name) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("dataAreaId", "usmf");
        row.put("CustomerAccount", account);
        row.put("PartyType", "Organization");
        row.put("OrganizationName", name);
        row.put("CustomerGroupId", "10");
        row.put("SalesCurrencyCode", "USD");
        row.put("CreditLimit", new BigDecimal("500.00"));
        row.put("OnHoldStatus", "No");
        row.put("InvoiceAddress", "InvoiceAccount");
        return row;
    }

    private JsonObject foCustomer(String account) {
        for (Object o : emulated.rows(emulated.foUrl(), "CustomersV3")) {
            JsonObject row = (JsonObject) o;
            if (account.equals(row.getString("CustomerAccount")) && "usmf".equalsIgnoreCase(row.getString("dataAreaId"))) {
                return row;
            }
        }
        return null;
    }

    private JsonObject account(String number) {
        for (Object o : emulated.rows(emulated.dataverseUrl(), "accounts")) {
            JsonObject row = (JsonObject) o;
            if (number.equals(row.getString("accountnumber"))) {
                return row;
            }
        }
        return null;
    }

    private String accountId(String number) {
        return account(number).getString("accountid");
    }

    private static void stripAttribute(JsonObject event, String column) {
        JsonObject target = event.getJsonArray("InputParameters").getJsonObject(0).getJsonObject("value");
        JsonArray kept = new JsonArray();
        for (Object o : target.getJsonArray("Attributes")) {
            if (!column.equals(((JsonObject) o).getString("key"))) {
                kept.add(o);
            }
        }
        target.put("Attributes", kept);
    }

    /**
     * A Dataverse webhook body for an Update of an account by a person (use-webhooks.md, "Request Body"):
     * the engine reads the record itself, so the Target carries the changed column only.
     */
    private static JsonObject dataverseUpdate(String accountId, String name) {
        JsonObject target = new JsonObject().put("__type", "Entity:http://schemas.microsoft.com/xrm/2011/Contracts")
                .put("Attributes", new JsonArray()
                        .add(new JsonObject().put("key", "accountid").put("value", accountId))
                        .add(new JsonObject().put("key", "name").put("value", name)))
                .put("EntityState", null).put("FormattedValues", new JsonArray()).put("Id", accountId)
                .put("KeyAttributes", new JsonArray()).put("LogicalName", "account").put("RelatedEntities", new JsonArray())
                .put("RowVersion", null);
        return new JsonObject()
                .put("BusinessUnitId", UUID.nameUUIDFromBytes("test:bu".getBytes(StandardCharsets.UTF_8)).toString())
                .put("CorrelationId", UUID.randomUUID().toString())
                .put("Depth", 1)
                .put("InitiatingUserId", PERSON)
                .put("InputParameters", new JsonArray().add(new JsonObject().put("key", "Target").put("value", target)))
                .put("IsExecutingOffline", false).put("IsInTransaction", false).put("IsOfflinePlayback", false)
                .put("IsolationMode", 1)
                .put("MessageName", "Update")
                .put("Mode", 1)
                .put("OperationCreatedOn", "/Date(" + System.currentTimeMillis() + ")/")
                .put("OperationId", UUID.randomUUID().toString())
                .put("OrganizationId", UUID.nameUUIDFromBytes("test:org".getBytes(StandardCharsets.UTF_8)).toString())
                .put("OrganizationName", "dualsync-test")
                .put("OutputParameters", new JsonArray())
                .put("ParentContext", null)
                .put("PostEntityImages", new JsonArray()).put("PreEntityImages", new JsonArray())
                .put("PrimaryEntityId", accountId)
                .put("PrimaryEntityName", "account")
                .put("RequestId", UUID.randomUUID().toString())
                .put("SecondaryEntityName", "none")
                .put("SharedVariables", new JsonArray())
                .put("Stage", 40)
                .put("UserId", PERSON);
    }
}
