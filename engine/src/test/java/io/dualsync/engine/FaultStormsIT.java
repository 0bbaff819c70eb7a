package io.dualsync.engine;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.schema.EntitySchema;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine against targets that fail for a while, end to end: a 429 storm on Dataverse while a
 * hundred F&O changes flow, a 503 storm on both targets while records are created on both sides, and a
 * record Dataverse refuses for good among others it takes. Faults come from the emulators' fault rules;
 * what the engine sent and when from their request logs. What a user checks: every record arrives with
 * every mapped field right, nothing is dead-lettered but the refused record (with the target's message),
 * retries are counted in {@code /metrics}, and after a 429 nothing is sent until its Retry-After ran out.
 */
class FaultStormsIT {
    private static final Duration ARRIVES = Duration.ofSeconds(120);
    private static final String RETRIES = "dualsync_apply_retries_total";
    private static final String[] GROUPS = {"10", "20", "30"};
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};
    private static final String[] HOLDS = {"No", "Invoice", "All", "Never"};

    @TempDir
    Path dir;

    @Test
    void throttleStormOnDataverse_everyFoChangeArrivesWhole_andRetryAfterIsRespected() {
        try (TestBed bed = TestBed.start(dir, TestBed.options().set("apply.retry.deadline", "2m"))) {
            String dv = bed.dataverseUrl();
            bed.emulated.startRequestLog(dv, 100_000);
            bed.emulated.resetCounters(dv);
            double retriesBefore = bed.metric(RETRIES, "target", "dataverse", "reason", "throttled");
            int retryAfter = 5;
            bed.emulated.addFault(dv, new JsonObject().put("type", "throttle").put("retryAfterSeconds", retryAfter)
                    .put("entitySet", "accounts").put("count", 30));

            // 70 creates, then 30 updates of records created moments before: 100 changes
            List<String> accounts = new ArrayList<>();
            for (int i = 1; i <= 70; i++) {
                String account = String.format(Locale.ROOT, "FS-%03d", i);
                accounts.add(account);
                ok(bed.createFoCustomer(account, "Storm " + i, fields(i, 1)));
            }
            for (int i = 1; i <= 30; i++) {
                ok(bed.updateFoCustomer(accounts.get(i - 1), fields(i, 2)));
            }

            CompiledMap customers = customersMap();
            await().atMost(ARRIVES).untilAsserted(() -> {
                Map<String, List<String>> wrong = new LinkedHashMap<>();
                Related related = new Related(bed);
                for (String account : accounts) {
                    List<String> m = mismatches(customers, bed.foCustomer(account), bed.account(account), related);
                    if (!m.isEmpty()) {
                        wrong.put(account, m);
                    }
                }
                assertThat(wrong).as("accounts not equal to their F&O customer, by mapped field").isEmpty();
            });
            assertThat(bed.account("FS-001").getString("name")).as("an update arrived, not only the create")
                    .isEqualTo("Storm 1 v2");
            assertThat(bed.deadLetters()).as("dead letters").isEmpty();

            long throttledWrites = bed.emulated.responses(dv, "PATCH", 429);
            assertThat(throttledWrites).as("writes Dataverse answered 429").isPositive();
            assertThat(bed.metric(RETRIES, "target", "dataverse", "reason", "throttled") - retriesBefore)
                    .as(RETRIES + "{target=dataverse,reason=throttled}").isGreaterThanOrEqualTo(throttledWrites);

            // after the first 429 (answered at once, at its arrival), only requests already on their way
            // may come in the first second; then nothing until Retry-After has run out
            List<JsonObject> log = accountRequests(bed.emulated.requests(dv, 0));
            JsonObject first = log.stream().filter(r -> r.getInteger("status") == 429).findFirst().orElseThrow();
            long t = first.getLong("at");
            List<String> early = log.stream()
                    .filter(r -> r.getLong("at") >= t + 1000 && r.getLong("at") <= t + retryAfter * 1000L - 500)
                    .map(r -> "+" + (r.getLong("at") - t) + " ms " + r.getString("method") + " " + r.getString("uri")
                            + " -> " + r.getInteger("status"))
                    .toList();
            assertThat(early).as("requests to accounts between 1 s and %.1f s after the first 429", retryAfter - 0.5).isEmpty();
            // and every later 429 holds the writes off the same way
            List<String> writesInAWindow = new ArrayList<>();
            for (JsonObject throttled : log) {
                if (throttled.getInteger("status") != 429) {
                    continue;
                }
                long at = throttled.getLong("at");
                log.stream().filter(r -> !"GET".equals(r.getString("method")))
                        .filter(r -> r.getLong("at") >= at + 1000 && r.getLong("at") <= at + retryAfter * 1000L - 500)
                        .forEach(r -> writesInAWindow.add(r.getString("method") + " " + r.getString("uri") + " +"
                                + (r.getLong("at") - at) + " ms after a 429 (seq " + throttled.getLong("seq") + ")"));
            }
            assertThat(writesInAWindow).as("writes to accounts within a Retry-After window").isEmpty();
        }
    }

    @Test
    void serverErrorStormOnBothTargets_nothingIsLost_andRetriesAreCounted() {
        try (TestBed bed = TestBed.start(dir, TestBed.options().set("apply.retry.deadline", "2m")
                .set("apply.retry.maxBackoff", "2s"))) {
            String fo = bed.foUrl();
            String dv = bed.dataverseUrl();
            bed.emulated.resetCounters(fo);
            bed.emulated.resetCounters(dv);
            double toDvBefore = bed.metric(RETRIES, "target", "dataverse", "reason", "server_error");
            double toFoBefore = bed.metric(RETRIES, "target", "fo", "reason", "server_error");
            // the engine's writes are PATCHes (upserts); people create with POST and are not hit
            int storm = 30;
            bed.emulated.addFault(dv, new JsonObject().put("type", "error").put("status", 503)
                    .put("entitySet", "accounts").put("method", "PATCH").put("count", storm));
            bed.emulated.addFault(fo, new JsonObject().put("type", "error").put("status", 503)
                    .put("entitySet", "CustomersV3").put("method", "PATCH").put("count", storm));

            String group20 = bed.guidOf("msdyn_customergroups", "msdyn_groupid", "20");
            List<String> fromFo = new ArrayList<>();
            List<String> fromDv = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                String f = String.format(Locale.ROOT, "FS5-F%02d", i);
                String d = String.format(Locale.ROOT, "FS5-D%02d", i);
                fromFo.add(f);
                fromDv.add(d);
                ok(bed.createFoCustomer(f, "Made in FO " + i, null));
                ok(bed.call(dv, "POST", "/api/data/v9.2/accounts", bed.newAccount(d, "Made in Dataverse " + i, group20)));
            }

            await().atMost(ARRIVES).untilAsserted(() -> {
                for (int i = 1; i <= 20; i++) {
                    JsonObject a = bed.account(fromFo.get(i - 1));
                    assertThat(a).as("account " + fromFo.get(i - 1)).isNotNull();
                    assertThat(a.getString("name")).isEqualTo("Made in FO " + i);
                    JsonObject c = bed.foCustomer(fromDv.get(i - 1));
                    assertThat(c).as("customer " + fromDv.get(i - 1)).isNotNull();
                    assertThat(c.getString("OrganizationName")).isEqualTo("Made in Dataverse " + i);
                    assertThat(c.getString("dataAreaId")).isEqualToIgnoringCase("usmf");
                    assertThat(c.getString("CustomerGroupId")).isEqualTo("20");
                    assertThat(c.getString("SalesCurrencyCode")).isEqualTo("EUR");
                }
            });
            assertThat(bed.deadLetters()).as("dead letters").isEmpty();
            assertThat(bed.emulated.responses(dv, "PATCH", 503)).as("Dataverse PATCHes answered 503").isEqualTo(storm);
            assertThat(bed.emulated.responses(fo, "PATCH", 503)).as("F&O PATCHes answered 503").isEqualTo(storm);
            assertThat(bed.metric(RETRIES, "target", "dataverse", "reason", "server_error") - toDvBefore)
                    .as(RETRIES + "{target=dataverse,reason=server_error}").isGreaterThanOrEqualTo(storm);
            assertThat(bed.metric(RETRIES, "target", "fo", "reason", "server_error") - toFoBefore)
                    .as(RETRIES + "{target=fo,reason=server_error}").isGreaterThanOrEqualTo(storm);
        }
    }

    @Test
    void recordDataverseRefuses_isDeadLetteredWithItsMessage_othersApply() {
        try (TestBed bed = TestBed.start(dir)) {
            // F&O takes a 255-character email; Dataverse's emailaddress1 holds 100 (a 400, not worth retrying)
            String tooLong = "x".repeat(140) + "@example.com";
            List<String> good = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                String account = String.format(Locale.ROOT, "FS4-%02d", i);
                good.add(account);
                ok(bed.createFoCustomer(account, "Fine " + i, fields(i, 1)));
                if (i == 5) {
                    ok(bed.createFoCustomer("FS4-BAD", "Too long an email", new JsonObject().put("PrimaryContactEmail", tooLong)));
                }
            }
            CompiledMap customers = customersMap();
            await().atMost(ARRIVES).untilAsserted(() -> {
                Related related = new Related(bed);
                for (String account : good) {
                    assertThat(mismatches(customers, bed.foCustomer(account), bed.account(account), related))
                            .as("mapped fields of " + account + " that differ").isEmpty();
                }
            });
            JsonObject[] letter = new JsonObject[1];
            await().atMost(ARRIVES).untilAsserted(() -> {
                JsonArray letters = bed.deadLetters();
                assertThat(letters).as("dead letters").hasSize(1);
                letter[0] = letters.getJsonObject(0);
            });
            JsonObject l = letter[0];
            assertThat(l.getJsonObject("event").getString("recordId")).contains("FS4-BAD");
            assertThat(l.getString("target")).isEqualTo("dataverse");
            assertThat(l.getInteger("status")).isEqualTo(400);
            assertThat(l.getString("error")).as("the target's message")
                    .contains("The length of the 'emailaddress1' attribute of the 'account' entity exceeded the maximum allowed length of '100'");
            assertThat(l.getInteger("attempts")).as("attempts of a permanent error").isEqualTo(1);
            assertThat(bed.account("FS4-BAD")).as("the refused record in Dataverse").isNull();
        }
    }

    // ---- records

    /** The F&O fields of storm customer {@code i}, version {@code v}: lookups, a value-mapped enum, decimals, text. */
    private static JsonObject fields(int i, int v) {
        return new JsonObject()
                .put("OrganizationName", "Storm " + i + " v" + v)
                .put("CustomerGroupId", GROUPS[i % GROUPS.length])
                .put("SalesCurrencyCode", CURRENCIES[(i + v) % CURRENCIES.length])
                .put("CreditLimit", 1000 * i + v)
                .put("OrganizationNumberOfEmployees", 10 + i)
                .put("OnHoldStatus", HOLDS[(i + v) % HOLDS.length])
                .put("CreditLimitIsMandatory", (i + v) % 2 == 0 ? "Yes" : "No")
                .put("PrimaryContactEmail", "storm" + i + ".v" + v + "@example.com")
                .put("InvoiceAddressCity", "City " + i)
                .put("InvoiceAddressLatitude", 47.5 + i / 1000.0)
                .put("SalesMemo", "memo " + i + " v" + v);
    }

    private static CompiledMap customersMap() {
        return Engine.compile(TestBed.exampleMaps(), TestBed.exampleMaps()).maps().stream()
                .filter(m -> m.name().equals("customers")).findFirst().orElseThrow();
    }

    /**
     * The mapped fields on which a Dataverse account differs from what the map makes of its F&O
     * customer (F&O to Dataverse), as "path: want X, got Y". Empty source values are not compared: the
     * engine does not clear a target column (a documented limit). Lookups are compared by the related
     * row's key column, ignoring case (company codes are upper case in Dataverse, lower case in F&O).
     */
    private static List<String> mismatches(CompiledMap map, JsonObject foRow, JsonObject dvRow, Related related) {
        if (foRow == null || dvRow == null) {
            return List.of(foRow == null ? "no F&O customer" : "no Dataverse account");
        }
        Map<String, Object> source = new LinkedHashMap<>();
        foRow.getMap().forEach((k, v) -> {
            if (v != null && !"".equals(v)) {
                source.put(k, v);
            }
        });
        Payload want = map.evaluate(Direction.FO_TO_DATAVERSE, source);
        List<String> out = new ArrayList<>();
        if (!want.accepted()) {
            out.add("the map does not accept the F&O customer");
            return out;
        }
        for (Map.Entry<String, Object> e : want.toMap().entrySet()) {
            String path = e.getKey();
            Object w = e.getValue();
            if (w == null) {
                continue;
            }
            int dot = path.indexOf('.');
            Object got;
            boolean same;
            if (dot < 0) {
                got = dvRow.getValue(path);
                same = same(w, got);
            } else {
                String column = path.substring(0, dot);
                got = related.value(column, dvRow.getString(column), path.substring(dot + 1));
                same = got != null && String.valueOf(w).equalsIgnoreCase(String.valueOf(got));
            }
            if (!same) {
                out.add(path + ": want " + w + ", got " + got);
            }
        }
        return out;
    }

    private static boolean same(Object want, Object got) {
        if (want instanceof Number && got instanceof Number) {
            return new BigDecimal(want.toString()).compareTo(new BigDecimal(got.toString())) == 0;
        }
        return want.equals(got);
    }

    /** Rows of the tables accounts' lookups point at, read once per comparison round. */
    private static final class Related {
        private final TestBed bed;
        private final EntitySchema accounts;
        private final Map<String, Map<String, JsonObject>> byTable = new HashMap<>();

        Related(TestBed bed) {
            this.bed = bed;
            this.accounts = Engine.compile(TestBed.exampleMaps(), TestBed.exampleMaps()).schemas().get(Side.DATAVERSE, "accounts");
        }

        /** The {@code keyColumn} of the row the lookup {@code column} = {@code id} points at, or null. */
        Object value(String column, String id, String keyColumn) {
            if (id == null) {
                return null;
            }
            String table = accounts.field(column).target();
            Map<String, JsonObject> rows = byTable.computeIfAbsent(table, t -> {
                Map<String, JsonObject> m = new HashMap<>();
                for (Object o : bed.emulated.rows(bed.dataverseUrl(), t)) {
                    JsonObject r = (JsonObject) o;
                    m.put(r.getString(TestBed.idColumn(t)), r);
                }
                return m;
            });
            JsonObject row = rows.get(id);
            return row == null ? null : row.getValue(keyColumn);
        }
    }

    /** The logged requests to Dataverse's accounts (reads and writes), oldest first. */
    private static List<JsonObject> accountRequests(JsonArray log) {
        return log.stream().map(o -> (JsonObject) o)
                .filter(r -> r.getString("uri").startsWith("/api/data/v9.2/accounts"))
                .toList();
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.request().method() + " " + r.request().uri() + ": " + r.body()).isBetween(200, 204);
    }
}
