package io.dualsync.engine;

import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the engine writes a record it synced before: with {@code If-Match} and no read of the target when
 * nothing changed there; fields emptied at the source are emptied at the target; the journal lag gauges.
 */
class WriteConditionsIT {
    private static final Duration CONVERGES = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    private static TestBed bed;

    @BeforeAll
    static void start() {
        bed = TestBed.start(dir);
    }

    @AfterAll
    static void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
    }

    private static void syncedFromFo(String account, JsonObject more) {
        double echoes = bed.count(Side.FO, Metrics.ApplyResult.ECHO);
        ok(bed.createFoCustomer(account, "Name of " + account, more));
        await().atMost(CONVERGES).untilAsserted(() -> assertThat(bed.account(account)).as("account " + account).isNotNull());
        // the Dataverse change our write caused has come back and been recognised
        await().atMost(CONVERGES).until(() -> bed.count(Side.FO, Metrics.ApplyResult.ECHO) > echoes);
    }

    @Test
    void anUpdateOfASyncedRecord_isWrittenWithIfMatch_withoutReadingTheTargetFirst() {
        syncedFromFo("WC-IM1", null);
        String etagAfterSync = "W/\"" + bed.account("WC-IM1").getValue("versionnumber") + "\"";
        bed.emulated.startRequestLog(bed.dataverseUrl(), 10_000);

        ok(bed.updateFoCustomer("WC-IM1", new JsonObject().put("OrganizationName", "Renamed in F&O")));

        await().atMost(CONVERGES).untilAsserted(() ->
                assertThat(bed.account("WC-IM1").getString("name")).isEqualTo("Renamed in F&O"));
        List<JsonObject> log = entries(bed.emulated.requests(bed.dataverseUrl(), 0));
        List<JsonObject> writes = log.stream().filter(r -> "PATCH".equals(r.getString("method"))).toList();
        assertThat(writes).as("one write").hasSize(1);
        assertThat(writes.get(0).getString("ifMatch")).isEqualTo(etagAfterSync);
        assertThat(writes.get(0).getInteger("status")).isBetween(200, 299);
        assertThat(log).as("no read of the account: nothing changed there since the sync")
                .noneMatch(r -> "GET".equals(r.getString("method")) && r.getString("uri").startsWith("/api/data/v9.2/accounts"));
        bed.emulated.stopRequestLog(bed.dataverseUrl());
    }

    @Test
    void aTargetTouchedWithoutChangingMappedValues_isNoConflict_theWriteGoesOnAfterARead() {
        syncedFromFo("WC-NC1", null);
        double conflictsBefore = conflicts();
        // a new version of the account with the same values (its ETag moves, nothing mapped changes)
        bed.patchAccountRowSilently("WC-NC1", new JsonObject().put("name", "Name of WC-NC1"));

        ok(bed.updateFoCustomer("WC-NC1", new JsonObject().put("OrganizationName", "Renamed after a touch")));

        await().atMost(CONVERGES).untilAsserted(() ->
                assertThat(bed.account("WC-NC1").getString("name")).isEqualTo("Renamed after a touch"));
        assertThat(conflicts()).as("conflicts counted").isEqualTo(conflictsBefore);
    }

    private static double conflicts() {
        return bed.metricsText().lines().filter(l -> l.startsWith("dualsync_conflicts_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aFieldClearedInFo_isClearedInDataverse_andALookupIsDisassociated() {
        syncedFromFo("WC-CL0", null);
        syncedFromFo("WC-CL1", new JsonObject().put("PrimaryContactPhone", "+1 425 555 0100").put("InvoiceAccount", "WC-CL0"));
        String billTo = bed.accountId("WC-CL0");
        await().atMost(CONVERGES).untilAsserted(() -> {
            JsonObject a = bed.account("WC-CL1");
            assertThat(a.getString("telephone1")).isEqualTo("+1 425 555 0100");
            assertThat(a.getString("msdyn_billingaccount")).as("bill-to account (the store's lookup column)").isEqualTo(billTo);
        });

        ok(bed.updateFoCustomer("WC-CL1", new JsonObject().put("PrimaryContactPhone", "").put("InvoiceAccount", "")));

        await().atMost(CONVERGES).untilAsserted(() -> {
            JsonObject a = bed.account("WC-CL1");
            assertThat(a.getValue("telephone1")).as("cleared text").isNull();
            assertThat(a.getValue("msdyn_billingaccount")).as("cleared lookup").isNull();
        });
        assertThat(bed.deadLetters()).isEmpty();
    }

    @Test
    void aFieldClearedInDataverse_isEmptiedInFo() {
        syncedFromFo("WC-CL2", new JsonObject().put("PrimaryContactEmail", "cl2@example.com"));
        await().atMost(CONVERGES).untilAsserted(() ->
                assertThat(bed.account("WC-CL2").getString("emailaddress1")).isEqualTo("cl2@example.com"));

        ok(bed.updateAccount("WC-CL2", new JsonObject().putNull("emailaddress1")));

        await().atMost(CONVERGES).untilAsserted(() ->
                assertThat(bed.foCustomer("WC-CL2").getString("PrimaryContactEmail")).as("emptied in F&O").isEmpty());
        assertThat(bed.deadLetters()).isEmpty();
    }

    @Test
    void journalLag_isScrapedByReader_andFallsToZeroOnceEverythingIsDone() {
        syncedFromFo("WC-LAG", null);

        await().atMost(CONVERGES).untilAsserted(() -> {
            String text = bed.metricsText();
            assertThat(text).contains("dualsync_journal_lag_events{reader=\"apply\"} 0.0",
                    "dualsync_journal_lag_seconds{reader=\"apply\"} 0.0");
        });
    }

    private static List<JsonObject> entries(JsonArray a) {
        return a.stream().map(o -> (JsonObject) o).toList();
    }
}
