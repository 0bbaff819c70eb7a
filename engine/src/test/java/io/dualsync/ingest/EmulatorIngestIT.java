package io.dualsync.ingest;

import io.dualsync.config.InboundAuth;

import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.Emulators;
import io.dualsync.journal.ChronicleJournal;
import io.dualsync.journal.Durability;
import io.dualsync.journal.JournalOptions;
import io.dualsync.journal.JournalReader;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The emulators' real deliveries (Dataverse webhooks, F&O data and business events) into the ingest
 * routes and a Chronicle journal on disk: what Microsoft's services would send, over HTTP.
 */
class EmulatorIngestIT {
    private static final String WEBHOOK_KEY = "dv-webhook-key";
    private static final String FO_SECRET = "fo-s3cret";

    @TempDir
    Path dir;

    private Vertx vertx;
    private Emulators emulators;
    private ChronicleJournal journal;
    private JournalReader reader;
    private HttpServer server;
    private WebClient client;
    private final List<ChangeEvent> journaled = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        EmulatorOptions o = new EmulatorOptions();
        o.foPort = 0;
        o.dataversePort = 0;
        o.seed = "demo";
        o.auth = false;
        emulators = get(Emulators.start(vertx, o));
        journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS, JournalOptions.defaults());
        reader = journal.reader("emulator-ingest-test");
        IngestOptions options = new IngestOptions()
                .dataverseAuth(InboundAuth.webhookKey(WEBHOOK_KEY))
                .foAuth(InboundAuth.httpHeader("x-dualsync-secret", FO_SECRET))
                .eventsAuth(InboundAuth.NONE)
                .businessEvent("CustomerChangedBusinessEvent",
                        new BusinessEventBinding("CustomersV3", Map.of("dataAreaId", "dataAreaId", "CustomerAccount", "CustomerAccount")));
        IngestRoutes routes = new IngestRoutes(journal, Fixtures.catalog(), options, IngestListener.NONE, Clock.systemUTC());
        Router router = Router.router(vertx);
        routes.mount(router);
        server = get(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        reader.close();
        journal.close();
        get(vertx.close());
    }

    @Test
    void dataverseWebhookDeliveries_areJournaledAsAccountsEvents_withVersionTagAndLookups() throws Exception {
        registerWebhook(WEBHOOK_KEY);

        HttpResponse<Buffer> created = get(client.postAbs(emulators.dataverseUrl() + "/api/data/v9.2/accounts?tag=dualsync-echo")
                .sendJsonObject(new JsonObject().put("name", "Ingest IT").put("accountnumber", "IT-100")
                        .put("msdyn_company@odata.bind", "/cdm_companies(cdm_companycode='USMF')").put("creditlimit", 250.75)));
        assertThat(created.statusCode()).isEqualTo(204);
        String url = created.getHeader("OData-EntityId");
        String id = url.substring(url.indexOf('(') + 1, url.indexOf(')'));
        assertThat(get(client.patchAbs(url).sendJsonObject(new JsonObject().put("name", "Ingest IT 2"))).statusCode()).isEqualTo(204);
        assertThat(get(client.deleteAbs(url).send()).statusCode()).isEqualTo(204);

        List<ChangeEvent> events = awaitJournaled(3);

        assertThat(events).extracting(ChangeEvent::operation).containsExactly(Operation.CREATE, Operation.UPDATE, Operation.DELETE);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo(Side.DATAVERSE);
            assertThat(e.entity()).isEqualTo("accounts");
            assertThat(e.recordId()).isEqualTo(id);
        });
        // Only the create was written with ?tag=: echo detection can tell it from the others.
        assertThat(events).extracting(ChangeEvent::tag).containsExactly("dualsync-echo", null, null);
        ChangeEvent create = events.get(0);
        assertThat(create.values()).containsEntry("name", "Ingest IT").containsEntry("creditlimit", new BigDecimal("250.75"))
                .containsKey("_msdyn_company_value");
        assertThat(create.key()).containsKeys("accountid", "accountnumber", "_msdyn_company_value");
        assertThat(events.get(1).version()).isGreaterThan(create.version());
        assertThat(events.get(1).values()).containsEntry("name", "Ingest IT 2");
        assertThat(events).extracting(ChangeEvent::eventId).doesNotHaveDuplicates();
    }

    @Test
    void foDataAndBusinessEvents_areJournaledAsCustomersV3Events() throws Exception {
        registerFoEndpoint(new JsonObject().put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")));
        registerFoEndpoint(new JsonObject().put("kind", "business").put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent")));

        HttpResponse<Buffer> created = get(client.postAbs(emulators.foUrl() + "/data/CustomersV3").sendJsonObject(new JsonObject()
                .put("dataAreaId", "usmf").put("CustomerAccount", "IT-900").put("OrganizationName", "Ingest IT F&O")
                .put("CustomerGroupId", "10").put("SalesCurrencyCode", "USD").put("CreditLimitIsMandatory", "Yes")));
        assertThat(created.statusCode()).isEqualTo(201);

        List<ChangeEvent> events = awaitJournaled(2);

        ChangeEvent data = events.stream().filter(e -> e.values() != null).findFirst().orElseThrow();
        ChangeEvent business = events.stream().filter(e -> e.values() == null).findFirst().orElseThrow();
        assertThat(data.operation()).isEqualTo(Operation.CREATE);
        assertThat(data.entity()).isEqualTo("CustomersV3");
        assertThat(data.recordId()).isEqualTo("dataAreaId='usmf',CustomerAccount='IT-900'");
        assertThat(data.values()).containsEntry("OrganizationName", "Ingest IT F&O").containsEntry("CreditLimitIsMandatory", "Yes");
        assertThat(business.entity()).isEqualTo("CustomersV3");
        assertThat(business.recordId()).isEqualTo(data.recordId());
    }

    @Test
    void redeliveredBusinessEvent_isJournaledAgainWithTheSameEventId() throws Exception {
        registerFoEndpoint(new JsonObject().put("kind", "business").put("businessEvents", new JsonArray().add("CustomerChangedBusinessEvent")));
        assertThat(get(client.patchAbs(emulators.foUrl() + "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')")
                .sendJsonObject(new JsonObject().put("OrganizationName", "Renamed"))).statusCode()).isEqualTo(204);
        ChangeEvent first = awaitJournaled(1).get(0);
        // The emulator records the delivery as delivered when our 202 reaches it, a moment after the append.
        long delivery = await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonObject d = get(client.getAbs(emulators.foUrl() + "/_emulator/events/deliveries").send())
                    .bodyAsJsonObject().getJsonArray("value").getJsonObject(0);
            return "delivered".equals(d.getString("status")) ? d.getLong("id") : null;
        }, id -> id != null);

        assertThat(get(client.postAbs(emulators.foUrl() + "/_emulator/events/deliveries/" + delivery + "/resend").send()).statusCode())
                .isEqualTo(202);

        ChangeEvent again = awaitJournaled(2).get(1);
        assertThat(again.eventId()).isEqualTo(first.eventId());
        assertThat(again.recordId()).isEqualTo("dataAreaId='usmf',CustomerAccount='US-001'");
    }

    @Test
    void webhookWithAWrongKey_isRefused401ByIngest_andNothingIsJournaled() throws Exception {
        registerWebhook("not-the-key");

        get(client.postAbs(emulators.dataverseUrl() + "/api/data/v9.2/accounts")
                .sendJsonObject(new JsonObject().put("name", "Refused").put("accountnumber", "IT-401")));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonArray deliveries = get(client.getAbs(emulators.dataverseUrl() + "/_emulator/webhooks/deliveries").send())
                    .bodyAsJsonObject().getJsonArray("value");
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.getJsonObject(0).getInteger("status")).isEqualTo(401);
            assertThat(deliveries.getJsonObject(0).getString("outcome")).isEqualTo("failed");
        });
        assertThat(reader.next()).isNull();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void registerWebhook(String key) throws Exception {
        HttpResponse<Buffer> r = get(client.postAbs(emulators.dataverseUrl() + "/_emulator/webhooks").sendJsonObject(new JsonObject()
                .put("url", base() + IngestRoutes.DATAVERSE_PATH).put("entity", "account")
                .put("messages", new JsonArray().add("Create").add("Update").add("Delete"))
                .put("authType", "WebhookKey").put("authValue", key)
                .put("preImage", "PreImage").put("postImage", "PostImage")));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    private void registerFoEndpoint(JsonObject spec) throws Exception {
        spec.put("url", base() + IngestRoutes.FO_PATH).put("headers", new JsonObject().put("x-dualsync-secret", FO_SECRET));
        HttpResponse<Buffer> r = get(client.postAbs(emulators.foUrl() + "/_emulator/events/endpoints").sendJsonObject(spec));
        assertThat(r.statusCode()).isEqualTo(201);
    }

    /** Waits until the journal holds {@code n} events; reads them on this thread only (a reader is single-threaded). */
    private List<ChangeEvent> awaitJournaled(int n) {
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().untilAsserted(() -> {
            for (JournalReader.Entry e = reader.next(); e != null; e = reader.next()) {
                journaled.add(e.event());
            }
            assertThat(journaled).hasSizeGreaterThanOrEqualTo(n);
        });
        return List.copyOf(journaled);
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
