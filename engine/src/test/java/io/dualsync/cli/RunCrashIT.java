package io.dualsync.cli;

import io.dualsync.connector.http.Emulated;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code kill -9} of {@code dualsync run} in the middle of a stream of F&O changes: the test is a
 * durable sender (it retries every F&O data event until the engine answers 202, through the time the
 * engine is down), kills the engine after a few thousand acknowledgements, restarts it on the same
 * journal and finishes the stream. Every acknowledged change must reach Dataverse, and no record may
 * be written with an older name after a newer one (checked in the Dataverse emulator's request log).
 */
class RunCrashIT {
    private static final int RECORDS = 200;
    private static final int CHANGES = 10_000;
    private static final int SENDERS = 8;
    private static final int KILL_AFTER_ACKS = 4_000;
    private static final String KEY_HEADER = "X-Dualsync-Key";
    private static final String KEY = "crash-test-key";
    /** Whoever changes the F&O records: not the engine's application user, so no change is an echo. */
    private static final String PERSON = UUID.nameUUIDFromBytes("person:crash-test".getBytes(StandardCharsets.UTF_8)).toString();
    private static final String ENGINE_USER = UUID.nameUUIDFromBytes("app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"(CR-\\d{4}) v(\\d{4})\"");

    @TempDir
    Path tmp;

    @RegisterExtension
    final EngineProcess.Launcher engines = new EngineProcess.Launcher();

    private Emulated emulated;
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS);

    @BeforeEach
    void emulators() {
        // 20,000+ Dataverse requests in a minute: far above the service protection limits of one user
        emulated = Emulated.start(o -> {
            o.limitRequests = 10_000_000;
            o.limitExecutionSeconds = 10_000_000;
        });
    }

    @AfterEach
    void stop() {
        senders.shutdownNow();
        if (emulated != null) {
            emulated.close();
        }
    }

    @Test
    void kill9_duringAStreamOfChanges_appliesEveryAcknowledgedChange_neverAnOlderOneAfterANewer() throws Exception {
        long started = System.nanoTime();
        List<Map<String, Object>> customers = seedCustomers();
        Path config = EngineProcess.writeConfig(tmp.resolve("dualsync.yaml"), emulated, tmp.resolve("journal"), freePort(),
                ENGINE_USER,
                "webhooks.fo.auth.type: HttpHeader",
                "webhooks.fo.auth.name: " + KEY_HEADER,
                "webhooks.fo.auth.value: " + KEY);
        EngineProcess first = engines.start(config, tmp.resolve("run-1.log"));
        emulated.startRequestLog(emulated.dataverseUrl(), 100_000);

        // the customers exist in F&O only: their Created events make the accounts
        Sender sender = new Sender();
        List<Future<?>> creates = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int slice = s;
            creates.add(senders.submit(() -> {
                for (int i = slice; i < RECORDS; i += SENDERS) {
                    sender.send(first, "OnExternalCreated", customers.get(i));
                }
                return null;
            }));
        }
        for (Future<?> f : creates) {
            f.get(5, TimeUnit.MINUTES);
        }
        await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(accountNames()).hasSize(RECORDS));
        sender.acks.set(0);
        phase("200 accounts created", started);

        // 10,000 renames, each record's in order, several senders (each its own records) in parallel
        AtomicReference<EngineProcess> current = new AtomicReference<>(first);
        List<Future<?>> stream = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int slice = s;
            stream.add(senders.submit(() -> {
                for (int round = 1; round <= CHANGES / RECORDS; round++) {
                    for (int i = slice; i < RECORDS; i += SENDERS) {
                        Map<String, Object> row = customers.get(i);
                        row.put("OrganizationName", row.get("CustomerAccount") + String.format(Locale.ROOT, " v%04d", round));
                        emulated.control(emulated.foUrl(), "PATCH", "rows/CustomersV3/" + predicate(row),
                                new JsonObject().put("OrganizationName", row.get("OrganizationName")));
                        sender.send(current.get(), "OnExternalUpdated", row);
                    }
                }
                return null;
            }));
        }
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(2))
                .until(() -> sender.acks.get() >= KILL_AFTER_ACKS || stream.stream().allMatch(Future::isDone));
        first.kill();
        for (Future<?> f : stream) {
            if (f.isDone()) {
                f.get(); // a sender that failed says why here
            }
        }
        int ackedBeforeKill = sender.acks.get();
        phase("killed after " + ackedBeforeKill + " acknowledgements", started);
        assertThat(ackedBeforeKill).as("the kill came in the middle of the stream").isBetween(KILL_AFTER_ACKS, CHANGES - 1);

        EngineProcess second = engines.start(config, tmp.resolve("run-2.log"));
        assertThat(second.port()).isEqualTo(first.port()); // the senders keep their URL
        current.set(second);
        phase("restarted", started);
        for (Future<?> f : stream) {
            f.get(10, TimeUnit.MINUTES);
        }
        assertThat(sender.acks.get()).isEqualTo(CHANGES);
        phase("every change acknowledged", started);

        String last = String.format(Locale.ROOT, " v%04d", CHANGES / RECORDS);
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, String> names = accountNames();
            for (Map<String, Object> c : customers) {
                assertThat(names.get((String) c.get("CustomerAccount"))).as("account %s", c.get("CustomerAccount"))
                        .isEqualTo(c.get("CustomerAccount") + last);
            }
        });
        phase("every change applied", started);
        Map<String, String> names = accountNames();
        for (Object o : emulated.rows(emulated.foUrl(), "CustomersV3")) {
            JsonObject r = (JsonObject) o;
            if (names.containsKey(r.getString("CustomerAccount"))) {
                assertThat(names.get(r.getString("CustomerAccount"))).as("Dataverse name of %s equals F&O's", r.getString("CustomerAccount"))
                        .isEqualTo(r.getString("OrganizationName"));
            }
        }

        checkNoOlderNameWrittenAfterNewer(last);
        HttpResponse<String> letters = second.get("/admin/dead-letters");
        assertThat(letters.statusCode()).isEqualTo(200);
        assertThat(new JsonArray(letters.body())).as("dead letters").isEmpty();

        System.out.printf(Locale.ROOT, "RunCrashIT: %d of %d changes acknowledged before the kill; %d events sent again"
                        + " after a failed attempt; whole run %.1f s%n", ackedBeforeKill, CHANGES, sender.retried.get(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * From the Dataverse request log: per account, the names of the PATCHes that were written (2xx, or
     * no answer because the engine died mid-request) never go back to an older version once a newer
     * one was written, and the last one is the last version sent.
     */
    private void checkNoOlderNameWrittenAfterNewer(String last) {
        Map<String, Integer> newest = new HashMap<>();
        Map<String, Integer> lastWritten = new HashMap<>();
        List<String> regressions = new ArrayList<>();
        int writes = 0;
        for (JsonObject e : emulated.requests(emulated.dataverseUrl())) {
            int status = e.getInteger("status");
            if (!"PATCH".equals(e.getString("method")) || !e.getString("uri").contains("/accounts(") || status >= 300
                    || e.getString("body") == null) {
                continue;
            }
            Matcher m = NAME.matcher(e.getString("body"));
            if (!m.find()) {
                continue;
            }
            writes++;
            String account = m.group(1);
            int version = Integer.parseInt(m.group(2));
            Integer before = newest.get(account);
            if (before != null && version < before) {
                regressions.add(account + ": v" + version + " written (seq " + e.getLong("seq") + ", status " + status
                        + ") after v" + before);
            }
            newest.merge(account, version, Math::max);
            lastWritten.put(account, version);
        }
        System.out.printf(Locale.ROOT, "RunCrashIT: %d account writes in the Dataverse request log%n", writes);
        assertThat(regressions).as("older names written after newer ones").isEmpty();
        int lastVersion = Integer.parseInt(last.trim().substring(1));
        assertThat(lastWritten).as("the last write of every account").hasSize(RECORDS)
                .allSatisfy((account, version) -> assertThat(version).as(account).isEqualTo(lastVersion));
    }

    private static void phase(String what, long started) {
        System.out.printf(Locale.ROOT, "RunCrashIT: %6.1f s %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** Sends events until each is acknowledged; counts acknowledgements and repeated attempts. */
    private static final class Sender {
        final AtomicInteger acks = new AtomicInteger();
        final AtomicInteger retried = new AtomicInteger();
        private final Map<String, Long> lastChange = new ConcurrentHashMap<>();

        void send(EngineProcess engine, String message, Map<String, Object> row) throws InterruptedException {
            // F&O stamps each change; a record's changes are strictly later than its previous one
            String account = (String) row.get("CustomerAccount");
            long at = lastChange.merge(account, System.currentTimeMillis(), (prev, now) -> Math.max(prev + 1, now));
            String body = FoDataEvents.customer(message, row, PERSON, Instant.ofEpochMilli(at)).encode();
            int attempts = engine.postUntilAccepted("/webhooks/fo", body, KEY_HEADER, KEY);
            acks.incrementAndGet();
            if (attempts > 1) {
                retried.incrementAndGet();
            }
        }
    }

    /** {@value #RECORDS} customers put straight into F&O (no events): the accounts do not exist yet. */
    private List<Map<String, Object>> seedCustomers() {
        List<Map<String, Object>> rows = new ArrayList<>();
        JsonArray body = new JsonArray();
        for (int i = 1; i <= RECORDS; i++) {
            String account = String.format(Locale.ROOT, "CR-%04d", i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dataAreaId", "usmf");
            row.put("CustomerAccount", account);
            row.put("PartyType", "Organization");
            row.put("PartyNumber", String.format(Locale.ROOT, "%09d", 500_000 + i));
            row.put("OrganizationName", account + " v0000");
            row.put("CustomerGroupId", "10");
            row.put("SalesCurrencyCode", "USD");
            row.put("CreditLimit", new BigDecimal("1000.00"));
            row.put("CreditLimitIsMandatory", "No");
            row.put("IsOneTimeCustomer", "No");
            row.put("OnHoldStatus", "No");
            row.put("InvoiceAddress", "InvoiceAccount");
            rows.add(row);
            body.add(new JsonObject(new LinkedHashMap<>(row)));
        }
        emulated.insertRows(emulated.foUrl(), "CustomersV3", body);
        return rows;
    }

    private static String predicate(Map<String, Object> row) {
        return "dataAreaId='" + row.get("dataAreaId") + "',CustomerAccount='" + row.get("CustomerAccount") + "'";
    }

    /** Dataverse accounts of the test's customers: account number to name. */
    private Map<String, String> accountNames() {
        Map<String, String> out = new HashMap<>();
        for (Object o : emulated.rows(emulated.dataverseUrl(), "accounts")) {
            JsonObject a = (JsonObject) o;
            String number = a.getString("accountnumber");
            if (number != null && number.startsWith("CR-")) {
                out.put(number, a.getString("name"));
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
