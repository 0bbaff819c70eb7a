package io.dualsync.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The second client of {@code dualsync demo}: a person changing customers in F&O (CustomersV3) and
 * accounts in Dataverse through the emulators' public APIs, as an application other than the
 * engine's, so the engine sees real changes and not echoes of its own writes.
 *
 * <p>{@link #step} is called from one scheduler thread; HTTP calls are asynchronous. Records it
 * picks for updates and deletes are ones it has not touched for {@link #SETTLE_MS}, so a delete
 * never races an update of the same record still on its way to the other side. Concurrent edits
 * are deliberate: the same record renamed on both sides at once, for the map's conflict policy.
 */
final class DemoDriver {
    static final String CLIENT_ID = "dualsync-demo-driver";
    static final String SECRET = "dualsync-demo-driver-secret";
    private static final long SETTLE_MS = 3_000;
    private static final String[] GROUPS = {"10", "20", "30"};
    private static final String[] CURRENCIES = {"USD", "EUR"};

    /** A customer the driver knows, keyed by account number (company USMF). */
    private static final class Rec {
        final String account;
        volatile String accountId;
        volatile long touchedAt;
        volatile boolean busy;

        Rec(String account, String accountId, long touchedAt) {
            this.account = account;
            this.accountId = accountId;
            this.touchedAt = touchedAt;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String foUrl;
    private final String dvUrl;
    private final String tenant;
    private final Map<String, String> tokens = new HashMap<>();
    private final List<Rec> records = new ArrayList<>();
    private final Map<String, String> companyIds = new HashMap<>();
    private final Map<String, String> groupIds = new HashMap<>();
    private final Map<String, String> currencyIds = new HashMap<>();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000, 36).toUpperCase();
    private long created;
    private boolean nextOnFo = true;

    final AtomicLong foChanges = new AtomicLong();
    final AtomicLong dataverseChanges = new AtomicLong();
    final AtomicLong concurrentEdits = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;

    DemoDriver(String foUrl, String dvUrl, String tenant) {
        this.foUrl = foUrl;
        this.dvUrl = dvUrl;
        this.tenant = tenant;
    }

    /** Reads the seeded lookups and USMF accounts; blocking, before the first step. */
    void prepare() {
        for (JsonObject c : rows(dvUrl, "cdm_companies")) {
            companyIds.put(c.getString("cdm_companycode"), c.getString("cdm_companyid"));
        }
        String usmf = companyIds.get("USMF");
        for (JsonObject g : rows(dvUrl, "msdyn_customergroups")) {
            if (usmf != null && usmf.equals(g.getString("msdyn_company"))) {
                groupIds.put(g.getString("msdyn_groupid"), g.getString("msdyn_customergroupid"));
            }
        }
        for (JsonObject c : rows(dvUrl, "transactioncurrencies")) {
            currencyIds.put(c.getString("isocurrencycode"), c.getString("transactioncurrencyid"));
        }
        for (JsonObject a : rows(dvUrl, "accounts")) {
            if (usmf != null && usmf.equals(a.getString("msdyn_company")) && a.getString("accountnumber") != null) {
                records.add(new Rec(a.getString("accountnumber"), a.getString("accountid"), 0));
            }
        }
        token(foUrl);
        token(dvUrl);
    }

    /** One change, alternating sides: mostly updates, some creates and deletes, now and then a concurrent edit. */
    void step() {
        boolean onFo = nextOnFo;
        nextOnFo = !nextOnFo;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int dice = random.nextInt(100);
        long now = System.currentTimeMillis();
        Rec settled = pickSettled(now);
        if (dice < 25 || settled == null) {
            create(onFo);
        } else if (dice < 35 && records.size() > 10) {
            delete(onFo, settled);
        } else if (dice < 45) {
            concurrentEdit(settled);
        } else {
            update(onFo, settled);
        }
    }

    private Rec pickSettled(long now) {
        if (records.isEmpty()) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            Rec r = records.get(ThreadLocalRandom.current().nextInt(records.size()));
            if (!r.busy && now - r.touchedAt >= SETTLE_MS) {
                return r;
            }
        }
        return null;
    }

    private void create(boolean onFo) {
        String account = "DM-" + runId + "-" + (++created);
        String name = "Demo customer " + created;
        String group = GROUPS[ThreadLocalRandom.current().nextInt(GROUPS.length)];
        String currency = CURRENCIES[ThreadLocalRandom.current().nextInt(CURRENCIES.length)];
        Rec rec = new Rec(account, null, System.currentTimeMillis());
        rec.busy = true;
        records.add(rec);
        CompletableFuture<HttpResponse<String>> call;
        if (onFo) {
            call = send(foUrl, "POST", "/data/CustomersV3", new JsonObject().put("dataAreaId", "usmf")
                    .put("CustomerAccount", account).put("PartyType", "Organization").put("OrganizationName", name)
                    .put("CustomerGroupId", group).put("SalesCurrencyCode", currency), false);
        } else {
            call = send(dvUrl, "POST", "/api/data/v9.2/accounts", new JsonObject().put("accountnumber", account)
                    .put("name", name).put("customertypecode", 3)
                    .put("msdyn_company@odata.bind", "/cdm_companies(" + companyIds.get("USMF") + ")")
                    .put("msdyn_customergroupid@odata.bind", "/msdyn_customergroups(" + groupIds.get(group) + ")")
                    .put("transactioncurrencyid@odata.bind", "/transactioncurrencies(" + currencyIds.get(currency) + ")"), true);
        }
        call.whenComplete((r, e) -> {
            if (ok(r, e, onFo)) {
                if (!onFo) {
                    rec.accountId = new JsonObject(r.body()).getString("accountid");
                }
            }
            rec.touchedAt = System.currentTimeMillis();
            rec.busy = false;
        });
    }

    private void update(boolean onFo, Rec rec) {
        JsonObject fo = new JsonObject().put("OrganizationName", "Renamed on F&O " + shortId());
        JsonObject dv = new JsonObject().put("name", "Renamed on Dataverse " + shortId());
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            String group = GROUPS[ThreadLocalRandom.current().nextInt(GROUPS.length)];
            fo.put("CustomerGroupId", group);
            dv.put("msdyn_customergroupid@odata.bind", "/msdyn_customergroups(" + groupIds.get(group) + ")");
        }
        touch(rec, onFo ? patchFo(rec, fo) : patchDataverse(rec, dv));
    }

    private void concurrentEdit(Rec rec) {
        concurrentEdits.incrementAndGet();
        String id = shortId();
        CompletableFuture<?> a = patchFo(rec, new JsonObject().put("OrganizationName", "Both sides F&O " + id));
        CompletableFuture<?> b = patchDataverse(rec, new JsonObject().put("name", "Both sides Dataverse " + id));
        touch(rec, CompletableFuture.allOf(a, b));
    }

    private void delete(boolean onFo, Rec rec) {
        records.remove(rec);
        touch(rec, onFo ? send(foUrl, "DELETE", foPath(rec), null, false).whenComplete((r, e) -> ok(r, e, true))
                : dataverseId(rec).thenCompose(id -> send(dvUrl, "DELETE", "/api/data/v9.2/accounts(" + id + ")", null, false))
                .whenComplete((r, e) -> ok(r, e, false)));
    }

    private void touch(Rec rec, CompletableFuture<?> call) {
        rec.busy = true;
        call.whenComplete((r, e) -> {
            rec.touchedAt = System.currentTimeMillis();
            rec.busy = false;
        });
    }

    private CompletableFuture<HttpResponse<String>> patchFo(Rec rec, JsonObject body) {
        return send(foUrl, "PATCH", foPath(rec), body, false).whenComplete((r, e) -> ok(r, e, true));
    }

    private CompletableFuture<HttpResponse<String>> patchDataverse(Rec rec, JsonObject body) {
        // If-Match: * keeps a PATCH an update: without it Dataverse would create a missing row
        return dataverseId(rec).thenCompose(id -> send(dvUrl, "PATCH", "/api/data/v9.2/accounts(" + id + ")", body, false,
                "If-Match", "*")).whenComplete((r, e) -> ok(r, e, false));
    }

    private static String foPath(Rec rec) {
        return "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='" + rec.account + "')";
    }

    /** The account's Dataverse id: known when the driver created it there, else looked up once by number. */
    private CompletableFuture<String> dataverseId(Rec rec) {
        if (rec.accountId != null) {
            return CompletableFuture.completedFuture(rec.accountId);
        }
        String filter = URLEncoder.encode("accountnumber eq '" + rec.account + "'", StandardCharsets.UTF_8).replace("+", "%20");
        return send(dvUrl, "GET", "/api/data/v9.2/accounts?$select=accountid&$filter=" + filter, null, false).thenApply(r -> {
            JsonArray value = r.statusCode() == 200 ? new JsonObject(r.body()).getJsonArray("value", new JsonArray()) : new JsonArray();
            if (value.isEmpty()) {
                throw new IllegalStateException("account " + rec.account + " not (yet) in Dataverse");
            }
            rec.accountId = value.getJsonObject(0).getString("accountid");
            return rec.accountId;
        });
    }

    private boolean ok(HttpResponse<String> r, Throwable e, boolean onFo) {
        if (e == null && r.statusCode() < 300) {
            (onFo ? foChanges : dataverseChanges).incrementAndGet();
            return true;
        }
        failures.incrementAndGet();
        lastFailure = e != null ? String.valueOf(e.getCause() == null ? e : e.getCause().getMessage())
                : r.request().method() + " " + r.request().uri().getPath() + " -> " + r.statusCode();
        return false;
    }

    String lastFailure() {
        return lastFailure;
    }

    private static String shortId() {
        return Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
    }

    private CompletableFuture<HttpResponse<String>> send(String base, String method, String path, JsonObject body,
                                                         boolean representation, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token(base)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (representation) {
            b.header("Prefer", "return=representation");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A token per emulator, fetched once (the demo is shorter than a token's hour). */
    private synchronized String token(String base) {
        return tokens.computeIfAbsent(base, b -> {
            String form = "grant_type=client_credentials&client_id=" + CLIENT_ID + "&client_secret=" + SECRET + "&scope="
                    + URLEncoder.encode(b + "/.default", StandardCharsets.UTF_8);
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(b + "/" + tenant + "/oauth2/v2.0/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("no token from " + b + ": " + r.statusCode() + " " + r.body());
                }
                return new JsonObject(r.body()).getString("access_token");
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException("no token from " + b + ": " + e.getMessage(), e);
            }
        });
    }

    /** Every row of a table, as the emulator stores it ({@code GET /_emulator/rows/{entitySet}}). */
    List<JsonObject> rows(String base, String entitySet) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/_emulator/rows/" + entitySet))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            List<JsonObject> out = new ArrayList<>();
            for (Object o : new JsonArray(r.body())) {
                out.add((JsonObject) o);
            }
            return out;
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot read " + entitySet + " from " + base + ": " + e.getMessage(), e);
        }
    }

    /** A control API call ({@code /_emulator/...}). */
    void control(String base, String path, JsonObject body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/_emulator/" + path))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("POST /_emulator/" + path + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("POST /_emulator/" + path + ": " + e.getMessage(), e);
        }
    }
}
