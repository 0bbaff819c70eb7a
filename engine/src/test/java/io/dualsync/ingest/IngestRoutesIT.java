package io.dualsync.ingest;

import io.dualsync.config.InboundAuth;

import io.dualsync.journal.ChronicleJournal;
import io.dualsync.journal.Durability;
import io.dualsync.journal.JournalOptions;
import io.dualsync.journal.JournalReader;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import io.dualsync.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ingest routes on a real server, journaling into a real Chronicle journal on disk. */
class IngestRoutesIT {
    private static final String DV_HEADER = "x-dualsync-key";
    private static final String DV_SECRET = "dv-s3cret";
    private static final String FO_SECRET = "fo-s3cret";
    private static final String EVENTS_TOKEN = "events-t0ken";
    private static final Instant NOW = Instant.parse("2026-03-04T05:06:07Z");
    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    Path dir;

    private Vertx vertx;
    private ChronicleJournal journal;
    private JournalReader reader;
    private IngestRoutes routes;
    private HttpServer server;
    private WebClient client;
    private Metrics meters;

    @BeforeEach
    void start() throws Exception {
        startWith(JournalOptions.defaults().withRetryAfter(Duration.ofSeconds(2)));
    }

    private void startWith(JournalOptions journalOptions) throws Exception {
        vertx = Vertx.vertx();
        journal = ChronicleJournal.open(dir.resolve("journal"), Durability.PROCESS, journalOptions);
        reader = journal.reader("ingest-test");
        meters = new Metrics();
        IngestOptions options = new IngestOptions()
                .bodyLimitBytes(BODY_LIMIT)
                .retryAfterSeconds(7)
                .dataverseAuth(InboundAuth.httpHeader(DV_HEADER, DV_SECRET))
                .foAuth(InboundAuth.httpHeader("x-dualsync-secret", FO_SECRET))
                .eventsAuth(InboundAuth.httpHeader("X-Events-Key", EVENTS_TOKEN))
                .businessEvent("CustomerChangedBusinessEvent",
                        new BusinessEventBinding("CustomersV3", Map.of("dataAreaId", "dataAreaId", "CustomerAccount", "CustomerAccount")));
        routes = new IngestRoutes(journal, Fixtures.catalog(), options, IngestListener.metrics(meters), Clock.fixed(NOW, ZoneOffset.UTC));
        Router router = Router.router(vertx);
        routes.mount(router);
        server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        reader.close();
        journal.close();
        await(vertx.close());
    }

    // ---- accepted ---------------------------------------------------------------------------------

    @Test
    void dataverseReferenceWebhook_isJournaledThenAcknowledged202WithItsIndex() throws Exception {
        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE), DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(202);
        JsonObject accepted = r.bodyAsJsonObject().getJsonArray("accepted").getJsonObject(0);
        JournalReader.Entry entry = reader.next();
        assertThat(entry).isNotNull();
        assertThat(accepted.getLong("index")).isEqualTo(entry.index());
        ChangeEvent e = entry.event();
        assertThat(e.eventId()).isEqualTo(accepted.getString("eventId"));
        assertThat(e.entity()).isEqualTo("contacts");
        assertThat(e.operation()).isEqualTo(Operation.UPDATE);
        assertThat(e.values()).containsEntry("firstname", "James");
        assertThat(e.receivedAt()).isEqualTo(NOW);
        assertThat(reader.next()).isNull();
        assertThat(counted("dataverse", "accepted")).isEqualTo(1);
    }

    @Test
    void foBusinessEvent_isJournaledWithoutValues() throws Exception {
        HttpResponse<Buffer> r = post(IngestRoutes.FO_PATH, Fixtures.bytes(Fixtures.FO_BUSINESS), "x-dualsync-secret", FO_SECRET);

        assertThat(r.statusCode()).isEqualTo(202);
        ChangeEvent e = reader.next().event();
        assertThat(e.source()).isEqualTo(Side.FO);
        assertThat(e.entity()).isEqualTo("CustomersV3");
        assertThat(e.recordId()).isEqualTo("dataAreaId='usmf',CustomerAccount='US-900'");
        assertThat(e.values()).isNull();
    }

    @Test
    void foDataEventSentAsADataverseWebhook_isRecognisedAsAnFoEvent() throws Exception {
        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, Fixtures.bytes(Fixtures.FO_CREATED), DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(202);
        ChangeEvent e = reader.next().event();
        assertThat(e.source()).isEqualTo(Side.FO);
        assertThat(e.entity()).isEqualTo("CustomersV3");
        assertThat(e.operation()).isEqualTo(Operation.CREATE);
    }

    @Test
    void eventsEnvelopeList_isJournaledInOrder_eachWithItsIndex() throws Exception {
        JsonArray body = new JsonArray()
                .add(envelope("batch-1", "US-001"))
                .add(envelope("batch-2", "US-002"));

        HttpResponse<Buffer> r = post(IngestRoutes.EVENTS_PATH, body.toBuffer().getBytes(), "X-Events-Key", EVENTS_TOKEN);

        assertThat(r.statusCode()).isEqualTo(202);
        JsonArray accepted = r.bodyAsJsonObject().getJsonArray("accepted");
        assertThat(accepted).hasSize(2);
        JournalReader.Entry first = reader.next();
        JournalReader.Entry second = reader.next();
        assertThat(List.of(first.event().eventId(), second.event().eventId())).containsExactly("batch-1", "batch-2");
        assertThat(accepted.getJsonObject(1).getLong("index")).isEqualTo(second.index());
        assertThat(counted("events", "accepted")).isEqualTo(2);
    }

    // ---- refused: nothing journaled ------------------------------------------------------------

    @Test
    void wrongOrMissingCredentials_are401_nothingJournaled() throws Exception {
        byte[] body = Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE);

        assertThat(post(IngestRoutes.DATAVERSE_PATH, body, DV_HEADER, "guess").statusCode()).isEqualTo(401);
        assertThat(post(IngestRoutes.DATAVERSE_PATH, body, null, null).statusCode()).isEqualTo(401);
        assertThat(post(IngestRoutes.FO_PATH, Fixtures.bytes(Fixtures.FO_BUSINESS), DV_HEADER, DV_SECRET).statusCode()).isEqualTo(401);
        HttpResponse<Buffer> r = post(IngestRoutes.EVENTS_PATH, envelope("x", "US-001").toBuffer().getBytes(), "X-Events-Key", "nope");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unauthorized");
        assertThat(r.bodyAsString()).doesNotContain(EVENTS_TOKEN);
        assertThat(reader.next()).isNull();
        assertThat(counted("dataverse", "unauthorized")).isEqualTo(2);
    }

    @Test
    void malformedJson_is400SayingWhere_nothingJournaled() throws Exception {
        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, "{\"MessageName\": \"Update\",\n \"x\": }".getBytes(StandardCharsets.UTF_8),
                DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("line 2, column");
        assertThat(reader.next()).isNull();
        assertThat(counted("dataverse", "malformed")).isEqualTo(1);
    }

    @Test
    void oversizedBody_is413_nothingJournaled_andTheServerKeepsServing() throws Exception {
        byte[] big = new byte[BODY_LIMIT + 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';

        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, big, DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message")).contains(Integer.toString(BODY_LIMIT));
        assertThat(reader.next()).isNull();
        assertThat(post(IngestRoutes.DATAVERSE_PATH, Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE), DV_HEADER, DV_SECRET).statusCode())
                .isEqualTo(202);
        assertThat(counted("dataverse", "too_large")).isEqualTo(1);
    }

    @Test
    void unknownEntity_is422_nothingJournaled() throws Exception {
        JsonObject body = new JsonObject(Buffer.buffer(Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE))).put("PrimaryEntityName", "lead");

        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, body.toBuffer().getBytes(), DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("unknown-entity");
        assertThat(reader.next()).isNull();
    }

    @Test
    void envelopeListWithOneBadEvent_is4xx_noneJournaled() throws Exception {
        JsonArray body = new JsonArray().add(envelope("ok", "US-001")).add(envelope("bad", "US-002").put("operation", "merge"));

        HttpResponse<Buffer> r = post(IngestRoutes.EVENTS_PATH, body.toBuffer().getBytes(), "X-Events-Key", EVENTS_TOKEN);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(reader.next()).isNull();
    }

    // ---- unavailable: 503 with Retry-After --------------------------------------------------------

    @Test
    void journalOverItsBackPressureLimit_is503WithRetryAfter_andTheEventIsNotAcknowledged() throws Exception {
        stop();
        startWith(JournalOptions.defaults().withMaxUnconsumed(1).withRetryAfter(Duration.ofSeconds(3)));

        HttpResponse<Buffer> first = post(IngestRoutes.EVENTS_PATH, envelope("one", "US-001").toBuffer().getBytes(), "X-Events-Key", EVENTS_TOKEN);
        HttpResponse<Buffer> second = post(IngestRoutes.EVENTS_PATH, envelope("two", "US-002").toBuffer().getBytes(), "X-Events-Key", EVENTS_TOKEN);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.getHeader("Retry-After")).isEqualTo("3");
        assertThat(second.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("journal-full");
        JournalReader.Entry only = reader.next();
        assertThat(only.event().eventId()).isEqualTo("one");
        assertThat(reader.next()).isNull();
        assertThat(counted("events", "unavailable")).isEqualTo(1);
    }

    @Test
    void closedJournal_is503WithRetryAfter() throws Exception {
        reader.close();
        journal.close();

        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE), DV_HEADER, DV_SECRET);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.getHeader("Retry-After")).isNotBlank();
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).startsWith("journal-");
    }

    @Test
    void stoppedIntake_is503WithRetryAfter_andStopCompletesWhenNothingIsInFlight() throws Exception {
        await(routes.stop());

        HttpResponse<Buffer> r = post(IngestRoutes.DATAVERSE_PATH, Fixtures.bytes(Fixtures.DATAVERSE_REFERENCE), DV_HEADER, DV_SECRET);

        assertThat(routes.accepting()).isFalse();
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.getHeader("Retry-After")).isEqualTo("7");
        assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code")).isEqualTo("stopped");
        assertThat(reader.next()).isNull();
        assertThat(counted("dataverse", "stopped")).isEqualTo(1);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static JsonObject envelope(String eventId, String account) {
        return new JsonObject().put("eventId", eventId).put("source", "fo").put("entity", "CustomersV3").put("operation", "update")
                .put("key", new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", account))
                .put("values", new JsonObject().put("OrganizationName", "Name of " + account));
    }

    private HttpResponse<Buffer> post(String path, byte[] body, String header, String value) throws Exception {
        HttpRequest<Buffer> request = client.post(server.actualPort(), "127.0.0.1", path).putHeader("Content-Type", "application/json");
        if (header != null) {
            request.putHeader(header, value);
        }
        return await(request.sendBuffer(Buffer.buffer(body)));
    }

    private double counted(String source, String result) {
        return meters.registry().get(Metrics.INGEST_EVENTS).tag("source", source).tag("result", result).counter().count();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
