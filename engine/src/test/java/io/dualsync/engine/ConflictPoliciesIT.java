package io.dualsync.engine;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.dualsync.apply.Pipeline;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each conflict policy of the mapping language, end to end: a customer synced on both sides is changed
 * on both before the engine hears of either change, and the engine, told of one of them, must leave both
 * sides with the policy's answer, count the conflict in {@code /metrics} and log it.
 *
 * <p>The concurrent edit is made deterministic: the other side is changed first straight in its
 * emulator's store (no webhook, no event: as if its event were still on the way), then this side is
 * changed through its real API as a person, which sends the event the engine acts on. Each policy runs
 * the example customers map with its {@code conflict} line changed, in an engine of its own; conflicts
 * are made on an F&O event and on a Dataverse event.
 */
class ConflictPoliciesIT {
    private static final Duration CONVERGES = Duration.ofSeconds(30);
    /** How long both sides must stay at the answer: an echo written back would change them within this. */
    private static final Duration STAYS = Duration.ofSeconds(1);
    private static final String CONFLICTS = "dualsync_conflicts_total";

    @TempDir
    Path dir;
    private ListAppender<ILoggingEvent> log;
    private Logger pipelineLogger;

    @BeforeEach
    void captureLog() {
        pipelineLogger = (Logger) LoggerFactory.getLogger(Pipeline.class);
        log = new ListAppender<>();
        log.start();
        pipelineLogger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        pipelineLogger.detachAppender(log);
    }

    private TestBed start(String policy) {
        return TestBed.start(dir.resolve("bed"), TestBed.options()
                .maps(TestBed.customersMapWithConflict(dir.resolve("maps"), policy)));
    }

    @Test
    void foWins_foValuesOnBothSides_whicheverSideTheEventCameFrom() {
        try (TestBed bed = start("fo-wins")) {
            // the F&O change is the one the engine hears of: it is written over Dataverse's
            synced(bed, "CP-FW1");
            bed.patchAccountRowSilently("CP-FW1", new JsonObject().put("name", "FW1 renamed in Dataverse"));
            double before = conflicts(bed, "fo-wins", "fo_won");
            ok(bed.updateFoCustomer("CP-FW1", new JsonObject().put("OrganizationName", "FW1 renamed in FO")));
            bothSidesSettle(bed, "CP-FW1", "FW1 renamed in FO", "cp-fw1@before.example");
            assertCounted(bed, "fo-wins", "fo_won", before);
            assertLogged("CP-FW1", "fo-wins");

            // the Dataverse change is the one the engine hears of: F&O's older change still wins
            synced(bed, "CP-FW2");
            bed.patchFoRowSilently("CP-FW2", new JsonObject().put("OrganizationName", "FW2 renamed in FO"));
            before = conflicts(bed, "fo-wins", "fo_won");
            ok(bed.updateAccount("CP-FW2", new JsonObject().put("name", "FW2 renamed in Dataverse")));
            bothSidesSettle(bed, "CP-FW2", "FW2 renamed in FO", "cp-fw2@before.example");
            assertCounted(bed, "fo-wins", "fo_won", before);
            assertLogged("CP-FW2", "fo-wins");
        }
    }

    @Test
    void dataverseWins_dataverseValuesOnBothSides_whicheverSideTheEventCameFrom() {
        try (TestBed bed = start("dataverse-wins")) {
            synced(bed, "CP-DW1");
            bed.patchAccountRowSilently("CP-DW1", new JsonObject().put("name", "DW1 renamed in Dataverse"));
            double before = conflicts(bed, "dataverse-wins", "dataverse_won");
            ok(bed.updateFoCustomer("CP-DW1", new JsonObject().put("OrganizationName", "DW1 renamed in FO")));
            bothSidesSettle(bed, "CP-DW1", "DW1 renamed in Dataverse", "cp-dw1@before.example");
            assertCounted(bed, "dataverse-wins", "dataverse_won", before);
            assertLogged("CP-DW1", "dataverse-wins");

            synced(bed, "CP-DW2");
            bed.patchFoRowSilently("CP-DW2", new JsonObject().put("OrganizationName", "DW2 renamed in FO"));
            before = conflicts(bed, "dataverse-wins", "dataverse_won");
            ok(bed.updateAccount("CP-DW2", new JsonObject().put("name", "DW2 renamed in Dataverse")));
            bothSidesSettle(bed, "CP-DW2", "DW2 renamed in Dataverse", "cp-dw2@before.example");
            assertCounted(bed, "dataverse-wins", "dataverse_won", before);
            assertLogged("CP-DW2", "dataverse-wins");
        }
    }

    /**
     * The later edit wins when both modified times are known. F&O data entities expose no modified
     * time, and the resolver documents that a conflict where either side's time is unknown goes to F&O
     * (so that both events of a concurrent pair, and replays, decide alike): a later Dataverse edit
     * meeting an F&O edit the engine has no time for loses to it.
     */
    @Test
    void lastWriterWins_laterFoEditWins_andUnknownFoTimeGoesToFo() {
        try (TestBed bed = start("last-writer-wins")) {
            synced(bed, "CP-LW1");
            bed.patchAccountRowSilently("CP-LW1", new JsonObject().put("name", "LW1 earlier in Dataverse"));
            double before = conflicts(bed, "last-writer-wins", "fo_won");
            ok(bed.updateFoCustomer("CP-LW1", new JsonObject().put("OrganizationName", "LW1 later in FO")));
            bothSidesSettle(bed, "CP-LW1", "LW1 later in FO", "cp-lw1@before.example");
            assertCounted(bed, "last-writer-wins", "fo_won", before);
            assertLogged("CP-LW1", "last-writer-wins");

            synced(bed, "CP-LW2");
            bed.patchFoRowSilently("CP-LW2", new JsonObject().put("OrganizationName", "LW2 earlier in FO"));
            before = conflicts(bed, "last-writer-wins", "fo_won");
            ok(bed.updateAccount("CP-LW2", new JsonObject().put("name", "LW2 later in Dataverse")));
            bothSidesSettle(bed, "CP-LW2", "LW2 earlier in FO", "cp-lw2@before.example");
            assertCounted(bed, "last-writer-wins", "fo_won", before);
            assertLogged("CP-LW2", "last-writer-wins");
        }
    }

    @Test
    void merge_fieldEditedOnBothSides_isDecidedByTheTieBreak() {
        try (TestBed bed = start("merge tie-break dataverse-wins")) {
            // the F&O edit is the event, yet the tie-break gives the field to Dataverse
            synced(bed, "CP-MG3");
            bed.patchAccountRowSilently("CP-MG3", new JsonObject().put("name", "MG3 renamed in Dataverse"));
            double before = conflicts(bed, "merge", "dataverse_won");
            ok(bed.updateFoCustomer("CP-MG3", new JsonObject().put("OrganizationName", "MG3 renamed in FO")));
            bothSidesSettle(bed, "CP-MG3", "MG3 renamed in Dataverse", "cp-mg3@before.example");
            assertCounted(bed, "merge", "dataverse_won", before);
            assertLogged("CP-MG3", "merge");
        }
    }

    @Test
    void merge_differentFieldsEditedOnEachSide_bothEditsEndOnBothSides() {
        try (TestBed bed = start("merge tie-break dataverse-wins")) {
            // conflict seen on an F&O event
            synced(bed, "CP-MG1");
            bed.patchAccountRowSilently("CP-MG1", new JsonObject().put("name", "MG1 renamed in Dataverse"));
            double before = conflicts(bed, "merge", "merged");
            ok(bed.updateFoCustomer("CP-MG1", new JsonObject().put("PrimaryContactEmail", "mg1@fo.example")));
            bothSidesSettle(bed, "CP-MG1", "MG1 renamed in Dataverse", "mg1@fo.example");
            assertCounted(bed, "merge", "merged", before);
            assertLogged("CP-MG1", "merge");

            // conflict seen on a Dataverse event
            synced(bed, "CP-MG2");
            bed.patchFoRowSilently("CP-MG2", new JsonObject().put("PrimaryContactEmail", "mg2@fo.example"));
            before = conflicts(bed, "merge", "merged");
            ok(bed.updateAccount("CP-MG2", new JsonObject().put("name", "MG2 renamed in Dataverse")));
            bothSidesSettle(bed, "CP-MG2", "MG2 renamed in Dataverse", "mg2@fo.example");
            assertCounted(bed, "merge", "merged", before);
            assertLogged("CP-MG2", "merge");
        }
    }

    @Test
    void manual_heldConflict_isListedWithBothSides_andNothingIsWritten() {
        try (TestBed bed = start("manual")) {
            synced(bed, "CP-MN1");
            double before = conflicts(bed, "manual", "held");
            heldWithoutWriting(bed, "CP-MN1", Side.FO, "MN1 renamed in FO", "MN1 renamed in Dataverse");
            assertCounted(bed, "manual", "held", before);
            assertLogged("CP-MN1", "manual");

            synced(bed, "CP-MN2");
            before = conflicts(bed, "manual", "held");
            heldWithoutWriting(bed, "CP-MN2", Side.DATAVERSE, "MN2 renamed in FO", "MN2 renamed in Dataverse");
            assertCounted(bed, "manual", "held", before);
            assertLogged("CP-MN2", "manual");
            assertThat(bed.conflicts()).as("held conflicts").hasSize(2);
        }
    }

    @Test
    void manual_resolvedByAPerson_bothSidesTakeTheWinner() {
        try (TestBed bed = start("manual")) {
            synced(bed, "CP-MN3");
            JsonObject held = heldWithoutWriting(bed, "CP-MN3", Side.FO, "MN3 renamed in FO", "MN3 renamed in Dataverse");
            resolve(bed, held, "dataverse");
            bothSidesSettle(bed, "CP-MN3", "MN3 renamed in Dataverse", "cp-mn3@before.example");
            assertThat(bed.conflicts()).as("held conflicts once resolved").isEmpty();

            synced(bed, "CP-MN4");
            held = heldWithoutWriting(bed, "CP-MN4", Side.DATAVERSE, "MN4 renamed in FO", "MN4 renamed in Dataverse");
            resolve(bed, held, "fo");
            bothSidesSettle(bed, "CP-MN4", "MN4 renamed in FO", "cp-mn4@before.example");
            assertThat(bed.conflicts()).as("held conflicts once resolved").isEmpty();
        }
    }

    // ---- steps

    /**
     * A customer created in F&O by the person, synced to Dataverse, and the echo of that write dealt
     * with: a record pair with a last sync and nothing in flight.
     */
    private static void synced(TestBed bed, String account) {
        double echoes = bed.count(Side.FO, Metrics.ApplyResult.ECHO);
        ok(bed.createFoCustomer(account, "Name of " + account,
                new JsonObject().put("PrimaryContactEmail", account.toLowerCase(Locale.ROOT) + "@before.example")));
        await().atMost(CONVERGES).untilAsserted(() -> {
            JsonObject a = bed.account(account);
            assertThat(a).as("account " + account + " in Dataverse").isNotNull();
            assertThat(a.getString("name")).isEqualTo("Name of " + account);
        });
        await().atMost(CONVERGES).until(() -> bed.count(Side.FO, Metrics.ApplyResult.ECHO) > echoes);
    }

    /**
     * Both sides end with {@code name} (F&O OrganizationName, Dataverse name) and {@code email}
     * (PrimaryContactEmail, emailaddress1), and stay so.
     */
    private static void bothSidesSettle(TestBed bed, String account, String name, String email) {
        await().atMost(CONVERGES).during(STAYS).untilAsserted(() -> {
            JsonObject fo = bed.foCustomer(account);
            JsonObject dv = bed.account(account);
            assertThat(fo.getString("OrganizationName")).as("F&O name of " + account).isEqualTo(name);
            assertThat(dv.getString("name")).as("Dataverse name of " + account).isEqualTo(name);
            assertThat(fo.getString("PrimaryContactEmail")).as("F&O email of " + account).isEqualTo(email);
            assertThat(dv.getString("emailaddress1")).as("Dataverse email of " + account).isEqualTo(email);
        });
    }

    /**
     * Renames {@code account} on both sides, the event coming from {@code eventSide} (the other side is
     * renamed first, without an event); waits for {@code GET /admin/conflicts} to list the conflict with
     * both sides' names; checks both sides keep their own name and, from the emulators' request logs,
     * that the person's write is the only write either system received.
     */
    private static JsonObject heldWithoutWriting(TestBed bed, String account, Side eventSide, String foName, String dvName) {
        if (eventSide == Side.FO) {
            bed.patchAccountRowSilently(account, new JsonObject().put("name", dvName));
        } else {
            bed.patchFoRowSilently(account, new JsonObject().put("OrganizationName", foName));
        }
        bed.emulated.startRequestLog(bed.foUrl(), 10_000);
        bed.emulated.startRequestLog(bed.dataverseUrl(), 10_000);
        ok(eventSide == Side.FO
                ? bed.updateFoCustomer(account, new JsonObject().put("OrganizationName", foName))
                : bed.updateAccount(account, new JsonObject().put("name", dvName)));
        JsonObject[] found = new JsonObject[1];
        await().atMost(CONVERGES).untilAsserted(() -> {
            List<JsonObject> mine = bed.conflicts().stream().map(o -> (JsonObject) o)
                    .filter(c -> c.getString("key", "").toLowerCase(Locale.ROOT).contains(account.toLowerCase(Locale.ROOT)))
                    .toList();
            assertThat(mine).as("held conflicts of " + account).hasSize(1);
            found[0] = mine.get(0);
        });
        JsonObject c = found[0];
        assertThat(c.getString("policy")).isEqualTo("manual");
        assertThat(c.getString("outcome")).isEqualTo("held");
        assertThat(c.getJsonObject("fo").encode()).as("the F&O side as held").contains(foName);
        assertThat(c.getJsonObject("dataverse").encode()).as("the Dataverse side as held").contains(dvName);
        assertThat(bed.foCustomer(account).getString("OrganizationName")).as("F&O while held").isEqualTo(foName);
        assertThat(bed.account(account).getString("name")).as("Dataverse while held").isEqualTo(dvName);
        List<String> foWrites = apiWrites(bed.emulated.requests(bed.foUrl(), 0));
        List<String> dvWrites = apiWrites(bed.emulated.requests(bed.dataverseUrl(), 0));
        assertThat(eventSide == Side.FO ? foWrites : dvWrites).as("writes to the event's side while held: the person's only")
                .hasSize(1);
        assertThat(eventSide == Side.FO ? dvWrites : foWrites).as("writes to the other side while held").isEmpty();
        return c;
    }

    /**
     * The data writes (not reads, not tokens) of a request log that changed something, as "METHOD uri": a
     * write refused by its If-Match (412, how the engine learns the target changed) wrote nothing.
     */
    private static List<String> apiWrites(JsonArray requests) {
        return requests.stream().map(o -> (JsonObject) o)
                .filter(r -> !"GET".equals(r.getString("method")))
                .filter(r -> r.getInteger("status") / 100 == 2)
                .filter(r -> r.getString("uri").startsWith("/data/") || r.getString("uri").startsWith("/api/data/"))
                .map(r -> r.getString("method") + " " + r.getString("uri")).toList();
    }

    private static void resolve(TestBed bed, JsonObject held, String winner) {
        HttpResponse<String> r = bed.admin("POST", "/admin/conflicts/" + TestBed.pathSegment(held.getString("id")) + "/resolve",
                new JsonObject().put("winner", winner));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    // ---- what an operator sees

    private static double conflicts(TestBed bed, String policy, String outcome) {
        return bed.metric(CONFLICTS, "policy", policy, "outcome", outcome);
    }

    private static void assertCounted(TestBed bed, String policy, String outcome, double before) {
        await().atMost(CONVERGES).untilAsserted(() ->
                assertThat(conflicts(bed, policy, outcome)).as(CONFLICTS + "{policy=" + policy + ",outcome=" + outcome + "}")
                        .isEqualTo(before + 1));
    }

    /** A line starting with "conflict" names the record and the policy. */
    private void assertLogged(String account, String policy) {
        List<String> lines;
        synchronized (log) {
            lines = new ArrayList<>(log.list.stream().map(ILoggingEvent::getFormattedMessage).toList());
        }
        assertThat(lines).as("log lines of " + Pipeline.class.getSimpleName())
                .anySatisfy(l -> assertThat(l.toLowerCase(Locale.ROOT)).startsWith("conflict")
                        .contains(account.toLowerCase(Locale.ROOT)).contains(policy));
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.request().uri() + ": " + r.body()).isBetween(200, 204);
    }
}
