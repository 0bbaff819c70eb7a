package io.dualsync.emulator.dataverse.webhooks;

import io.dualsync.emulator.Caller;
import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.Side;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhooks end to end: registrations through the admin API over HTTP, writes published as the
 * Dataverse API publishes them, and a real HTTP server on loopback receiving what the emulator posts.
 */
class WebhooksIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Caller CALLER = Caller.forClient("dualsync-dev", "sync-app");
    private static final String COMPANY = "c0a80001-0000-0000-0000-000000000001";

    private Vertx vertx;
    private EmulatorContext ctx;
    private EmulatorServer emulator;
    private HttpServer receiver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Statuses the receiver answers per path, in turn; 200 when none is left; 0 = never answer. */
    private final Map<String, ConcurrentLinkedDeque<Integer>> script = new ConcurrentHashMap<>();
    /** Paths whose answers come after a random delay of up to this many milliseconds. */
    private final Map<String, Integer> slow = new ConcurrentHashMap<>();

    record Received(String path, MultiMap query, MultiMap headers, String raw) {
        JsonObject body() {
            return new JsonObject(raw);
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        EmulatorOptions options = new EmulatorOptions();
        options.auth = false;
        ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.DATAVERSE);
        for (String set : List.of("accounts", "contacts", "cdm_companies", "transactioncurrencies", "msdyn_customergroups")) {
            ctx.store().add(SchemaLoader.builtIn().get(Side.DATAVERSE, set));
        }
        Webhooks webhooks = new Webhooks(ctx);
        ctx.addListener(webhooks);
        emulator = EmulatorServer.start(ctx, 0, List.of(webhooks)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            received.add(new Received(req.path(), MultiMap.caseInsensitiveMultiMap().addAll(req.params()),
                    MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), buf.toString(StandardCharsets.UTF_8)));
            ConcurrentLinkedDeque<Integer> statuses = script.get(req.path());
            Integer status = statuses == null ? null : statuses.poll();
            int answer = status == null ? 200 : status;
            Integer delay = slow.get(req.path());
            if (answer == 0) {
                return;
            }
            if (delay == null) {
                req.response().setStatusCode(answer).end();
            } else {
                vertx.setTimer(1 + java.util.concurrent.ThreadLocalRandom.current().nextInt(delay),
                        t -> req.response().setStatusCode(answer).end());
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    // ---- delivery ----------------------------------------------------------------------------------

    @Test
    void createUpdateDelete_eachPostTheRemoteExecutionContext_inWriteOrder() throws Exception {
        String reg = register(new JsonObject().put("url", hook("/all")).put("entity", "account")
                .put("messages", new JsonArray().add("Create").add("Update").add("Delete")).put("authType", "WebhookKey")
                .put("authValue", "k")).getString("id");
        String id = uuid();
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("name", "Contoso");
        created.put("accountnumber", "C-1");
        created.put("msdyn_company", COMPANY);
        created.put("customertypecode", 3L);
        created.put("creditlimit", new BigDecimal("1500.50"));
        created.put("numberofemployees", 12L);
        created.put("msdyn_creditlimitismandatory", true);
        Map<String, Object> row1 = row(id, created, "2024-05-01T10:00:00Z");
        Map<String, Object> row2 = new LinkedHashMap<>(row1);
        row2.put("name", "Contoso Ltd");
        row2.put("modifiedon", "2024-05-01T11:00:00Z");

        publish(event("accounts", ChangeEvent.Message.Create, id, created, null, row1, "corr-1", null));
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("name", "Contoso Ltd"), row1, row2, "corr-2", null));
        publish(event("accounts", ChangeEvent.Message.Delete, id, Map.of(), row2, null, "corr-3", null));

        await().atMost(WAIT).until(() -> received.size() == 3);
        assertThat(received).extracting(r -> r.headers().get("x-ms-dynamics-request-name")).containsExactly("Create", "Update", "Delete");
        for (Received r : received) {
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            assertThat(r.headers().get("x-ms-dynamics-entity-name")).isEqualTo("account");
            assertThat(r.headers().get("x-ms-dynamics-organization")).isEqualTo("127.0.0.1");
            assertThat(r.headers().contains("x-ms-dynamics-msg-size-exceeded")).isFalse();
            assertThat(r.body().getString("PrimaryEntityId")).isEqualTo(id);
            assertThat(r.body().getString("PrimaryEntityName")).isEqualTo("account");
            assertThat(r.body().getInteger("Stage")).isEqualTo(40);
            assertThat(r.body().getInteger("Mode")).isEqualTo(1);
            assertThat(r.body().getInteger("Depth")).isEqualTo(1);
            assertThat(r.body().getString("UserId")).isEqualTo(CALLER.userId().toString());
            assertThat(r.body().getString("InitiatingUserId")).isEqualTo(CALLER.userId().toString());
        }
        assertThat(received).extracting(r -> r.headers().get("x-ms-correlation-request-id")).containsExactly("corr-1", "corr-2", "corr-3");
        assertThat(received).extracting(r -> r.body().getString("CorrelationId")).containsExactly("corr-1", "corr-2", "corr-3");

        // Create: the Target entity carries the written attributes in SDK form, the new id is the output.
        JsonObject create = received.get(0).body();
        assertThat(received.get(0).raw()).contains("\"\\/Date(");
        assertThat(create.getString("MessageName")).isEqualTo("Create");
        assertThat(create.getJsonArray("OutputParameters")).containsExactly(new JsonObject().put("key", "id").put("value", id));
        JsonObject target = input(create, "Target");
        assertThat(target.getString("__type")).isEqualTo("Entity:http://schemas.microsoft.com/xrm/2011/Contracts");
        assertThat(target.getString("LogicalName")).isEqualTo("account");
        assertThat(target.getString("Id")).isEqualTo(id);
        Map<String, Object> attrs = pairs(target.getJsonArray("Attributes"));
        assertThat(attrs.get("name")).isEqualTo("Contoso");
        assertThat(attrs.get("accountid")).isEqualTo(id);
        assertThat(attrs.get("msdyn_company")).isEqualTo(new JsonObject()
                .put("__type", "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts").put("Id", COMPANY)
                .put("KeyAttributes", new JsonArray()).put("LogicalName", "cdm_company").put("Name", null).put("RowVersion", null));
        assertThat(attrs.get("customertypecode")).isEqualTo(new JsonObject()
                .put("__type", "OptionSetValue:http://schemas.microsoft.com/xrm/2011/Contracts").put("Value", 3));
        assertThat(((JsonObject) attrs.get("creditlimit")).getString("__type")).isEqualTo("Money:http://schemas.microsoft.com/xrm/2011/Contracts");
        assertThat(new BigDecimal(((JsonObject) attrs.get("creditlimit")).getValue("Value").toString())).isEqualByComparingTo("1500.50");
        assertThat(attrs.get("numberofemployees")).isEqualTo(12);
        assertThat(attrs.get("msdyn_creditlimitismandatory")).isEqualTo(true);
        assertThat(attrs.get("createdon")).isEqualTo("/Date(" + Instant.parse("2024-05-01T10:00:00Z").toEpochMilli() + ")/");
        assertThat(((JsonObject) attrs.get("createdby")).getString("Id")).isEqualTo(CALLER.userId().toString());
        assertThat(pairs(target.getJsonArray("FormattedValues"))).containsEntry("customertypecode", "Customer");

        // Update: only what was written, plus the id and the columns the platform set.
        JsonObject update = received.get(1).body();
        Map<String, Object> updated = pairs(input(update, "Target").getJsonArray("Attributes"));
        assertThat(updated).containsOnlyKeys("name", "accountid", "modifiedon", "modifiedby", "modifiedonbehalfby");
        assertThat(updated.get("modifiedon")).isEqualTo("/Date(" + Instant.parse("2024-05-01T11:00:00Z").toEpochMilli() + ")/");
        assertThat(((JsonObject) updated.get("modifiedby")).getString("LogicalName")).isEqualTo("systemuser");
        assertThat(update.getJsonArray("OutputParameters")).isEmpty();

        // Delete: the Target is an EntityReference.
        JsonObject delete = received.get(2).body();
        assertThat(input(delete, "Target")).isEqualTo(new JsonObject()
                .put("__type", "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts").put("Id", id)
                .put("KeyAttributes", new JsonArray()).put("LogicalName", "account").put("Name", null).put("RowVersion", null));

        JsonObject deliveries = deliveries(reg);
        assertThat(deliveries.getJsonArray("value")).hasSize(3).allSatisfy(d -> {
            JsonObject j = (JsonObject) d;
            assertThat(j.getString("outcome")).isEqualTo("succeeded");
            assertThat(j.getInteger("status")).isEqualTo(200);
            assertThat(j.getInteger("attempts")).isEqualTo(1);
            assertThat(j.getBoolean("sizeExceeded")).isFalse();
            assertThat(j.getString("url")).isEqualTo(hook("/all") + "?code=k");
        });
        assertThat(deliveries.getLong("succeeded")).isEqualTo(3);
        assertThat(deliveries.getLong("pending")).isZero();
    }

    @Test
    void update_firesOnlyWhenAFilteringAttributeIsInTheTarget() throws Exception {
        String reg = register(new JsonObject().put("url", hook("/filtered")).put("entity", "accounts")
                .put("messages", "Update").put("filteringAttributes", "creditlimit,name")).getString("id");
        String id = uuid();
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("address1_city", "Oslo"), null, null, "c1", null));
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("creditlimit", new BigDecimal("10")), null, null, "c2", null));
        publish(event("accounts", ChangeEvent.Message.Create, id, Map.of("creditlimit", new BigDecimal("10")), null, null, "c3", null));
        publish(event("contacts", ChangeEvent.Message.Update, uuid(), Map.of("firstname", "X"), null, null, "c4", null));
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("name", "Y"), null, null, "c5", null));

        // Deliveries of one step go out in write order: once the last one arrived, the others were decided.
        await().atMost(WAIT).until(() -> received.stream().anyMatch(r -> r.body().getString("CorrelationId").equals("c5")));
        assertThat(received).extracting(r -> r.body().getString("CorrelationId")).containsExactly("c2", "c5");
        assertThat(deliveries(reg).getJsonArray("value")).hasSize(2);
        assertThat(register(new JsonObject().put("url", hook("/x")).put("entity", "accounts")).getString("entity")).isEqualTo("account");
    }

    @Test
    void theThreeAuthenticationOptions_andSecretsAreNotShown() throws Exception {
        register(new JsonObject().put("url", hook("/header")).put("entity", "account").put("authType", "HttpHeader")
                .put("authValue", new JsonObject().put("X-Test1", "test1").put("X-Test2", "test2")));
        register(new JsonObject().put("url", hook("/key")).put("entity", "account").put("authType", "WebhookKey")
                .put("authValue", "00000000-0000-0000-0000-000000000001"));
        register(new JsonObject().put("url", hook("/query") + "?fixed=1").put("entity", "account").put("authType", "HttpQueryString")
                .put("authValue", new JsonObject().put("Key1", "Value1").put("Key2", "Value 2&more")));
        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));

        await().atMost(WAIT).until(() -> received.size() == 3);
        Received header = byPath("/header");
        assertThat(header.headers().get("X-Test1")).isEqualTo("test1");
        assertThat(header.headers().get("X-Test2")).isEqualTo("test2");
        assertThat(header.query().isEmpty()).isTrue();
        Received key = byPath("/key");
        assertThat(key.query().get("code")).isEqualTo("00000000-0000-0000-0000-000000000001");
        assertThat(key.headers().contains("X-Test1")).isFalse();
        Received query = byPath("/query");
        assertThat(query.query().get("Key1")).isEqualTo("Value1");
        assertThat(query.query().get("Key2")).isEqualTo("Value 2&more");
        assertThat(query.query().get("fixed")).isEqualTo("1");

        String listed = get("/_emulator/webhooks").body();
        assertThat(listed).contains("HttpHeader", "WebhookKey", "HttpQueryString")
                .doesNotContain("test1", "Value1", "00000000-0000-0000-0000-000000000001");
    }

    @Test
    void registeredImages_areSentWithTheirAliasAndAttributes() throws Exception {
        register(new JsonObject().put("url", hook("/images")).put("entity", "account")
                .put("messages", new JsonArray().add("Create").add("Update"))
                .put("preImage", new JsonObject().put("name", "pre").put("attributes", new JsonArray().add("name")))
                .put("postImage", "post"));
        String id = uuid();
        Map<String, Object> before = row(id, Map.of("name", "Old", "accountnumber", "A1", "creditlimit", new BigDecimal("5")),
                "2024-01-01T00:00:00Z");
        before.put("description", null);
        Map<String, Object> after = new LinkedHashMap<>(before);
        after.put("name", "New");
        publish(event("accounts", ChangeEvent.Message.Create, id, Map.of("name", "Old"), null, before, "c1", null));
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("name", "New"), before, after, "c2", null));

        await().atMost(WAIT).until(() -> received.size() == 2);
        JsonObject create = received.get(0).body();
        assertThat(create.getJsonArray("PreEntityImages")).isEmpty();
        assertThat(create.getJsonArray("PostEntityImages")).hasSize(1);

        JsonObject update = received.get(1).body();
        JsonObject pre = image(update, "PreEntityImages", "pre");
        assertThat(pre.containsKey("__type")).isFalse();
        assertThat(pre.getString("LogicalName")).isEqualTo("account");
        assertThat(pre.getString("Id")).isEqualTo(id);
        assertThat(pairs(pre.getJsonArray("Attributes"))).containsOnlyKeys("name", "accountid").containsEntry("name", "Old");
        Map<String, Object> post = pairs(image(update, "PostEntityImages", "post").getJsonArray("Attributes"));
        assertThat(post).containsEntry("name", "New").containsEntry("accountnumber", "A1").containsKeys("creditlimit", "accountid",
                "createdon", "modifiedon", "versionnumber").doesNotContainKey("description");
    }

    @Test
    void theTag_reachesTheSharedVariables_andSyncStepsSayMode0() throws Exception {
        register(new JsonObject().put("url", hook("/tag")).put("entity", "contact").put("mode", "sync"));
        publish(event("contacts", ChangeEvent.Message.Update, uuid(), Map.of("lastname", "L"), null, null, "c",
                Map.of("tag", "dualsync-engine")));

        await().atMost(WAIT).until(() -> received.size() == 1);
        JsonObject body = received.get(0).body();
        assertThat(body.getInteger("Mode")).isZero();
        assertThat(body.getBoolean("IsInTransaction")).isTrue();
        assertThat(pairs(body.getJsonArray("SharedVariables"))).containsEntry("tag", "dualsync-engine");
        assertThat(pairs(body.getJsonObject("ParentContext").getJsonArray("SharedVariables")))
                .containsEntry("tag", "dualsync-engine").containsKey("ChangedEntityTypes");
    }

    @Test
    void a503_isTriedOnceMore_thenSucceeds() throws Exception {
        script.put("/flaky", new ConcurrentLinkedDeque<>(List.of(503)));
        String reg = register(new JsonObject().put("url", hook("/flaky")).put("entity", "account")).getString("id");
        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));

        JsonObject d = awaitFinal(reg);
        assertThat(d.getString("outcome")).isEqualTo("succeeded");
        assertThat(d.getInteger("attempts")).isEqualTo(2);
        assertThat(d.getInteger("status")).isEqualTo(200);
        assertThat(received).hasSize(2);
        assertThat(received.get(1).raw()).isEqualTo(received.get(0).raw());
    }

    @Test
    void a504_twice_fails_afterOneRetryOnly() throws Exception {
        script.put("/down", new ConcurrentLinkedDeque<>(List.of(504, 504, 200)));
        String reg = register(new JsonObject().put("url", hook("/down")).put("entity", "account")).getString("id");
        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));

        JsonObject d = awaitFinal(reg);
        assertThat(d.getString("outcome")).isEqualTo("failed");
        assertThat(d.getInteger("attempts")).isEqualTo(2);
        assertThat(d.getInteger("status")).isEqualTo(504);
        assertThat(received).hasSize(2);
    }

    @Test
    void a400_isNotRetried() throws Exception {
        script.put("/bad", new ConcurrentLinkedDeque<>(List.of(400)));
        String reg = register(new JsonObject().put("url", hook("/bad")).put("entity", "account")).getString("id");
        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));

        JsonObject d = awaitFinal(reg);
        assertThat(d.getString("outcome")).isEqualTo("failed");
        assertThat(d.getInteger("attempts")).isEqualTo(1);
        assertThat(d.getInteger("status")).isEqualTo(400);
        assertThat(d.getString("error")).contains("400");
        assertThat(received).hasSize(1);
    }

    @Test
    void noAnswerWithinTheTimeout_fails_withoutRetry() throws Exception {
        ctx.options().webhookTimeoutSeconds = 1;
        script.put("/slow", new ConcurrentLinkedDeque<>(List.of(0)));
        String reg = register(new JsonObject().put("url", hook("/slow")).put("entity", "account")).getString("id");
        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));

        JsonObject d = awaitFinal(reg);
        assertThat(d.getString("outcome")).isEqualTo("failed");
        assertThat(d.getInteger("attempts")).isEqualTo(1);
        assertThat(d.getValue("status")).isNull();
        assertThat(received).hasSize(1);
    }

    @Test
    void aBodyOver256KB_losesTheDocumentedParts_andSaysSo() throws Exception {
        String reg = register(new JsonObject().put("url", hook("/big")).put("entity", "account")
                .put("preImage", "pre").put("postImage", "post")).getString("id");
        String id = uuid();
        String description = "x".repeat(300 * 1024);
        Map<String, Object> after = row(id, Map.of("name", "Big", "description", description), "2024-01-01T00:00:00Z");
        publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("description", description), after, after, "c", null));

        await().atMost(WAIT).until(() -> received.size() == 1);
        Received r = received.get(0);
        assertThat(r.headers().contains("x-ms-dynamics-msg-size-exceeded")).isTrue();
        assertThat(r.raw().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256 * 1024);
        JsonObject body = r.body();
        assertThat(body.getValue("ParentContext")).isNull();
        assertThat(body.getJsonArray("InputParameters")).isEmpty();
        assertThat(body.getJsonArray("PreEntityImages")).isEmpty();
        assertThat(body.getJsonArray("PostEntityImages")).isEmpty();
        assertThat(body.getString("MessageName")).isEqualTo("Update");
        assertThat(body.getString("PrimaryEntityId")).isEqualTo(id);
        assertThat(awaitFinal(reg).getBoolean("sizeExceeded")).isTrue();
    }

    @Test
    void manyWrites_arriveInWriteOrder_evenWhenTheReceiverIsSlowAtFirst() throws Exception {
        slow.put("/ordered", 30);
        register(new JsonObject().put("url", hook("/ordered")).put("entity", "account").put("messages", "Update"));
        String id = uuid();
        for (int i = 0; i < 40; i++) {
            publish(event("accounts", ChangeEvent.Message.Update, id, Map.of("name", "n" + i), null, null, "c" + i, null));
        }
        await().atMost(WAIT).until(() -> received.size() == 40);
        List<String> order = received.stream().map(r -> r.body().getString("CorrelationId")).collect(Collectors.toList());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("c" + i);
        }
        assertThat(order).isEqualTo(expected);
    }

    @Test
    void theBody_hasTheStructureOfMicrosoftsSample() throws Exception {
        // The documented sample: Update of a contact, filtering attributes firstname,lastname, asynchronous
        // post-operation, a post image "AsynchronousStepPrimaryName" holding fullname.
        register(new JsonObject().put("url", hook("/sample")).put("entity", "contact").put("messages", "Update")
                .put("filteringAttributes", new JsonArray().add("firstname").add("lastname"))
                .put("postImage", new JsonObject().put("name", "AsynchronousStepPrimaryName")
                        .put("attributes", new JsonArray().add("fullname"))));
        String id = uuid();
        Map<String, Object> after = row(id, Map.of("firstname", "James", "lastname", "Glynn", "fullname", "James Glynn (sample)"),
                "2017-09-25T23:24:07Z");
        publish(event("contacts", ChangeEvent.Message.Update, id, Map.of("firstname", "James"), after, after, null, null));

        await().atMost(WAIT).until(() -> received.size() == 1);
        JsonObject sample;
        try (InputStream in = getClass().getResourceAsStream("dataverse-webhook-RemoteExecutionContext-contact-update.json")) {
            sample = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonObject body = received.get(0).body();
        List<String> problems = new ArrayList<>();
        sameShape(sample, body, "$", problems);
        assertThat(problems).isEmpty();

        // The comparison itself notices a missing key, a changed value kind and a stray collection entry.
        JsonObject broken = body.copy();
        broken.remove("Depth");
        broken.put("Stage", "40");
        broken.getJsonArray("PreEntityImages").add("not a pair");
        List<String> found = new ArrayList<>();
        sameShape(sample, broken, "$", found);
        assertThat(found).hasSize(3);
        assertThat(received.get(0).raw()).contains("\"Entity:http:\\/\\/schemas.microsoft.com\\/xrm\\/2011\\/Contracts\"");
    }

    // ---- admin API ---------------------------------------------------------------------------------

    @Test
    void adminApi_rejectsBadRegistrations_andDeleteStopsDeliveries() throws Exception {
        assertThat(post(new JsonObject().put("entity", "account")).statusCode()).isEqualTo(400);
        assertThat(post(new JsonObject().put("url", "ftp://x/y")).statusCode()).isEqualTo(400);
        HttpResponse<String> badMessage = post(new JsonObject().put("url", hook("/a")).put("messages", "Upsert"));
        assertThat(badMessage.statusCode()).isEqualTo(400);
        assertThat(badMessage.body()).contains("Upsert");
        assertThat(post(new JsonObject().put("url", hook("/a")).put("authType", "WebhookKey")).statusCode()).isEqualTo(400);
        assertThat(post(new JsonObject().put("url", hook("/a")).put("authType", "Basic")).statusCode()).isEqualTo(400);

        String gone = register(new JsonObject().put("url", hook("/gone")).put("entity", "account")).getString("id");
        register(new JsonObject().put("url", hook("/kept")).put("entity", "account"));
        assertThat(get("/_emulator/webhooks/" + gone).statusCode()).isEqualTo(200);
        assertThat(delete("/_emulator/webhooks/" + gone).statusCode()).isEqualTo(204);
        assertThat(delete("/_emulator/webhooks/" + gone).statusCode()).isEqualTo(404);
        assertThat(new JsonObject(get("/_emulator/webhooks").body()).getJsonArray("value")).hasSize(1);

        publish(event("accounts", ChangeEvent.Message.Create, uuid(), Map.of("name", "A"), null, null, "c", null));
        await().atMost(WAIT).until(() -> received.size() == 1);
        assertThat(received.get(0).path()).isEqualTo("/kept");
        assertThat(deliveries(gone).getJsonArray("value")).isEmpty();
    }

    // ---- structure comparison ---------------------------------------------------------------------

    private static final Pattern DATE = Pattern.compile("^/Date\\(\\d+([+-]\\d{4})?\\)/$");
    private static final Pattern GUID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");

    /**
     * Same keys at every level and the same kind of value (text, date text, guid text, number,
     * boolean, object, array); for key/value collections, entries are compared with the sample's
     * entry of the same key (other keys: the entry's own keys only). Null in the sample stands for
     * "null or text" (Name, RequestId...); a null pair value is allowed where the sample has one.
     */
    private static void sameShape(Object expected, Object actual, String path, List<String> problems) {
        if (expected == null) {
            if (actual != null && !(actual instanceof String)) {
                problems.add(path + ": expected null (or text), got " + actual);
            }
            return;
        }
        if (actual == null) {
            if (!path.endsWith(".value")) {
                problems.add(path + ": expected " + kind(expected) + ", got null");
            }
            return;
        }
        if (expected instanceof JsonObject e) {
            if (!(actual instanceof JsonObject a)) {
                problems.add(path + ": expected an object, got " + kind(actual));
                return;
            }
            if (!e.fieldNames().equals(a.fieldNames())) {
                problems.add(path + ": keys " + new java.util.TreeSet<>(a.fieldNames()) + " instead of " + new java.util.TreeSet<>(e.fieldNames()));
            }
            for (String k : e.fieldNames()) {
                if (a.containsKey(k)) {
                    sameShape(e.getValue(k), a.getValue(k), path + "." + k, problems);
                }
            }
        } else if (expected instanceof JsonArray e) {
            if (!(actual instanceof JsonArray a)) {
                problems.add(path + ": expected an array, got " + kind(actual));
                return;
            }
            for (int i = 0; i < a.size(); i++) {
                Object item = a.getValue(i);
                String at = path + "[" + i + "]";
                if (e.isEmpty()) {
                    // The sample's empty collections (FormattedValues, KeyAttributes, ...) hold key/value pairs.
                    if (!(item instanceof JsonObject o) || !o.fieldNames().equals(Set.of("key", "value"))) {
                        problems.add(at + ": expected a {key, value} pair, got " + item);
                    }
                    continue;
                }
                Object match = sameKey(e, item);
                if (match != null) {
                    sameShape(match, item, at, problems);
                } else if (!(item instanceof JsonObject o) || !(e.getValue(0) instanceof JsonObject first)
                        || !o.fieldNames().equals(first.fieldNames())) {
                    problems.add(at + ": expected an entry like " + e.getValue(0) + ", got " + item);
                }
            }
        } else if (!kind(expected).equals(kind(actual))) {
            problems.add(path + ": expected " + kind(expected) + " (" + expected + "), got " + kind(actual) + " (" + actual + ")");
        }
    }

    private static Object sameKey(JsonArray expected, Object item) {
        if (!(item instanceof JsonObject o) || !o.containsKey("key")) {
            return expected.size() == 1 || !(expected.getValue(0) instanceof JsonObject first) || !first.containsKey("key")
                    ? expected.getValue(0) : null;
        }
        for (Object e : expected) {
            if (e instanceof JsonObject j && o.getValue("key").equals(j.getValue("key"))) {
                return j;
            }
        }
        return null;
    }

    private static String kind(Object v) {
        if (v instanceof String s) {
            return DATE.matcher(s).matches() ? "date text" : GUID.matcher(s).matches() ? "guid text" : "text";
        }
        if (v instanceof Number) {
            return "number";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof JsonObject) {
            return "object";
        }
        if (v instanceof JsonArray) {
            return "array";
        }
        return String.valueOf(v);
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private String hook(String path) {
        return "http://127.0.0.1:" + receiver.actualPort() + path;
    }

    private void publish(ChangeEvent e) {
        ctx.publish(e);
    }

    private static ChangeEvent event(String set, ChangeEvent.Message m, String id, Map<String, Object> target,
                                     Map<String, Object> pre, Map<String, Object> post, String correlation, Map<String, Object> shared) {
        return new ChangeEvent(set, m, id, target, pre, post, CALLER, correlation, shared == null ? Map.of() : shared,
                1001, Instant.parse("2024-05-01T12:00:00Z"));
    }

    /** A stored row as the Dataverse API keeps it: values plus primary id and system columns. */
    private static Map<String, Object> row(String id, Map<String, Object> values, String at) {
        Map<String, Object> row = new LinkedHashMap<>(values);
        String primary = values.containsKey("firstname") || values.containsKey("lastname") ? "contactid" : "accountid";
        row.put(primary, id);
        row.put("createdon", at);
        row.put("modifiedon", at);
        row.put("versionnumber", 1001L);
        return row;
    }

    private static JsonObject input(JsonObject context, String key) {
        for (Object p : context.getJsonArray("InputParameters")) {
            JsonObject pair = (JsonObject) p;
            if (pair.getString("key").equals(key)) {
                return pair.getJsonObject("value");
            }
        }
        throw new AssertionError("no input parameter " + key + " in " + context.getJsonArray("InputParameters"));
    }

    private static JsonObject image(JsonObject context, String collection, String alias) {
        for (Object p : context.getJsonArray(collection)) {
            JsonObject pair = (JsonObject) p;
            if (pair.getString("key").equals(alias)) {
                return pair.getJsonObject("value");
            }
        }
        throw new AssertionError("no image " + alias + " in " + context.getJsonArray(collection));
    }

    private static Map<String, Object> pairs(JsonArray array) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object p : array) {
            JsonObject pair = (JsonObject) p;
            out.put(pair.getString("key"), pair.getValue("value"));
        }
        return out;
    }

    private Received byPath(String path) {
        return received.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow();
    }

    private JsonObject awaitFinal(String registration) throws IOException, InterruptedException {
        await().atMost(WAIT).until(() -> {
            JsonArray v = deliveries(registration).getJsonArray("value");
            return v.size() == 1 && !v.getJsonObject(0).getString("outcome").equals("pending");
        });
        return deliveries(registration).getJsonArray("value").getJsonObject(0);
    }

    private JsonObject register(JsonObject body) throws IOException, InterruptedException {
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonObject created = new JsonObject(r.body());
        assertThat(r.headers().firstValue("Location")).contains("/_emulator/webhooks/" + created.getString("id"));
        return created;
    }

    private JsonObject deliveries(String registration) throws IOException, InterruptedException {
        HttpResponse<String> r = get("/_emulator/webhooks/deliveries?registration=" + registration);
        assertThat(r.statusCode()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    private HttpResponse<String> post(JsonObject body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/_emulator/webhooks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }
}
