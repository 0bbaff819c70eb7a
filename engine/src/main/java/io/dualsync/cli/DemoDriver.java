package io.dualsync.cli;

import io.dualsync.mapping.CompiledMap;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The second client of {@code dualsync demo}: a person changing customers and vendors in F&O
 * (CustomersV3, VendorsV2) and in Dataverse (accounts, msdyn_vendors) through the emulators' public
 * APIs, as an application other than the engine's, so the engine sees real changes and not echoes of
 * its own writes. What a create or an edit writes on each side is {@link DemoEntity}'s.
 *
 * <p>{@link #step} is called from one scheduler thread; HTTP calls are asynchronous. Records it
 * picks for updates and deletes are settled: their last change was made before the moment the whole
 * flow was last seen caught up (the {@code caughtUpAt} clock: no delivery pending in the emulators,
 * nothing unprocessed in the engine), and at least {@link #SETTLE_MS} ago. So an edit never races an
 * earlier edit of the same record still on its way to the other side, however far behind a loaded
 * machine makes the engine; when nothing is settled the driver waits rather than pile up changes.
 * Concurrent edits are deliberate: the same fields of one settled record changed on both sides at
 * once, for the map's conflict policy. Only company USMF is changed.
 *
 * <p>The driver changes only the records it creates. The seeded ones are compared at the end but left
 * alone: the seed writes F&O rows without the initial values F&O shows for fields nobody set, so their
 * data events lack fields an OData read returns, and the engine takes those for changes made in F&O
 * (a conflict that can drop a Dataverse edit). Never synced, they could not be deleted from Dataverse
 * either: a Dataverse delete names the row by id only, and the engine finds the F&O key in its sync state.
 */
final class DemoDriver {
    static final String CLIENT_ID = "dualsync-demo-driver";
    static final String SECRET = "dualsync-demo-driver-secret";
    private static final long SETTLE_MS = 1_000;
    private static final String API = "/api/data/v9.2/";

    /** A record the driver created, by its account number in company USMF. */
    private static final class Rec {
        final String account;
        volatile String dataverseId;
        volatile long touchedAt;
        volatile boolean busy;

        Rec(String account, long touchedAt) {
            this.account = account;
            this.touchedAt = touchedAt;
        }
    }

    /** What was done to one entity: successful requests by kind. */
    static final class Tally {
        final AtomicLong creates = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        final AtomicLong deletes = new AtomicLong();

        @Override
        public String toString() {
            return creates.get() + " created, " + updates.get() + " updated, " + deletes.get() + " deleted";
        }
    }

    private enum Op { CREATE, UPDATE, DELETE }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String foUrl;
    private final String dvUrl;
    private final String tenant;
    private final LongSupplier caughtUpAt;
    private final Map<String, String> tokens = new HashMap<>();
    private final List<DemoEntity> entities = new ArrayList<>();
    private final Map<DemoEntity, List<Rec>> records = new HashMap<>();
    private final Map<DemoEntity, Tally> tallies = new LinkedHashMap<>();
    /** Related Dataverse rows of company USMF (and currencies): table, then business key, then guid. */
    private final Map<String, Map<String, String>> ids = new HashMap<>();
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000, 36).toUpperCase(Locale.ROOT);
    private long created;
    private boolean nextOnFo = true;
    private String skipped;

    final AtomicLong foChanges = new AtomicLong();
    final AtomicLong dataverseChanges = new AtomicLong();
    final AtomicLong concurrentEdits = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    /** Steps that changed nothing because no record was settled: the engine was catching up. */
    final AtomicLong waits = new AtomicLong();
    private volatile String lastFailure;

    /**
     * @param caughtUpAt when (epoch millis) every change made before was last seen delivered and applied
     *                   by the engine; 0 until then
     */
    DemoDriver(String foUrl, String dvUrl, String tenant, LongSupplier caughtUpAt) {
        this.foUrl = foUrl;
        this.dvUrl = dvUrl;
        this.tenant = tenant;
        this.caughtUpAt = caughtUpAt;
    }

    /**
     * Reads the seeded lookups (companies, customer groups, currencies) and adds the vendor groups
     * vendors need when the emulator has their table but not the rows; blocking, before the first step.
     * An entity is driven when a map syncs it; vendors only when their groups exist too: F&O requires a
     * group on every vendor.
     *
     * @throws IllegalStateException when no map syncs an entity the driver knows
     */
    void prepare(List<CompiledMap> maps) {
        String usmf = null;
        for (JsonObject c : control(dvUrl, "cdm_companies")) {
            index("cdm_companies", c.getString("cdm_companycode"), c.getString("cdm_companyid"));
            if (DemoEntity.COMPANY.equals(c.getString("cdm_companycode"))) {
                usmf = c.getString("cdm_companyid");
            }
        }
        for (JsonObject g : control(dvUrl, "msdyn_customergroups")) {
            if (usmf != null && usmf.equals(g.getString("msdyn_company"))) {
                index("msdyn_customergroups", g.getString("msdyn_groupid"), g.getString("msdyn_customergroupid"));
            }
        }
        for (JsonObject c : control(dvUrl, "transactioncurrencies")) {
            index("transactioncurrencies", c.getString("isocurrencycode"), c.getString("transactioncurrencyid"));
        }
        List<String> notDriven = new ArrayList<>();
        for (DemoEntity e : List.of(DemoEntity.CUSTOMERS, DemoEntity.VENDORS)) {
            if (maps.stream().noneMatch(m -> m.foEntity().equals(e.foSet) && m.dataverseTable().equals(e.dataverseSet))) {
                notDriven.add(e.name + " (no map syncs " + e.foSet + " and " + e.dataverseSet + ")");
            } else if (e == DemoEntity.VENDORS && (usmf == null || !vendorGroups(usmf))) {
                notDriven.add(e.name + " (the Dataverse emulator has no table " + DemoSetup.VENDOR_GROUP_TABLE
                        + " for VendorGroupId, which F&O requires on every vendor)");
            } else {
                entities.add(e);
            }
        }
        if (entities.isEmpty()) {
            throw new IllegalStateException("nothing to drive: " + String.join(", ", notDriven));
        }
        skipped = notDriven.isEmpty() ? null : "not driven: " + String.join(", ", notDriven);
        for (DemoEntity e : entities) {
            records.put(e, new ArrayList<>());
            tallies.put(e, new Tally());
        }
        token(foUrl);
        token(dvUrl);
    }

    /** The USMF vendor groups, added through the control API (no webhooks) when the table has none; false without the table. */
    private boolean vendorGroups(String usmf) {
        HttpResponse<String> r = get(URI.create(dvUrl + "/_emulator/rows/" + DemoSetup.VENDOR_GROUP_TABLE), null);
        if (r.statusCode() != 200) {
            return false;
        }
        JsonArray rows = new JsonArray(r.body());
        if (rows.stream().noneMatch(o -> usmf.equals(((JsonObject) o).getString("msdyn_company")))) {
            JsonArray add = new JsonArray();
            for (String[] g : DemoEntity.VENDOR_GROUPS) {
                add.add(new JsonObject().put("msdyn_company", usmf).put("msdyn_vendorgroup", g[0]).put("msdyn_description", g[1])
                        .put("statecode", 0));
            }
            rows = new JsonArray(post(dvUrl + "/_emulator/rows/" + DemoSetup.VENDOR_GROUP_TABLE, add.encode()));
        }
        for (Object o : rows) {
            JsonObject g = (JsonObject) o;
            if (usmf.equals(g.getString("msdyn_company"))) {
                index(DemoSetup.VENDOR_GROUP_TABLE, g.getString("msdyn_vendorgroup"), g.getString("msdyn_vendorgroupid"));
            }
        }
        return true;
    }

    private void index(String table, String key, String id) {
        ids.computeIfAbsent(table, t -> new HashMap<>()).put(key, id);
    }

    private String bind(String table, String key) {
        String id = ids.getOrDefault(table, Map.of()).get(key);
        if (id == null) {
            throw new IllegalStateException("no " + table + " row " + key + " in company " + DemoEntity.COMPANY);
        }
        return "/" + table + "(" + id + ")";
    }

    /** Why an entity is not driven, or null when every entity is. */
    String skipped() {
        return skipped;
    }

    /** Per entity driven, what was done: {@code customers: 12 created, 40 updated, 3 deleted; vendors: ...}. */
    String tallies() {
        StringBuilder b = new StringBuilder();
        tallies.forEach((e, t) -> b.append(b.length() == 0 ? "" : "; ").append(e.name).append(": ").append(t));
        return b.toString();
    }

    /** One change, alternating sides and entities at random: mostly updates, some creates and deletes, now and then a concurrent edit. */
    void step() {
        boolean onFo = nextOnFo;
        nextOnFo = !nextOnFo;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        DemoEntity entity = entities.get(random.nextInt(entities.size()));
        List<Rec> known = records.get(entity);
        int dice = random.nextInt(100);
        Rec settled = pickSettled(known, System.currentTimeMillis(), caughtUpAt.getAsLong());
        if (dice < 25 || known.isEmpty()) {
            create(entity, onFo);
        } else if (settled == null) {
            waits.incrementAndGet();
        } else if (dice < 35 && known.size() > 10) {
            delete(entity, onFo, settled);
        } else if (dice < 45) {
            concurrentEdit(entity, settled);
        } else {
            DemoEntity.Change c = entity.edit(random.nextInt(entity.kinds()), onFo ? "F&O" : "Dataverse", random, this::bind);
            touch(settled, onFo ? patchFo(entity, settled, c.fo()) : patchDataverse(entity, settled, c.dataverse()));
        }
    }

    private static Rec pickSettled(List<Rec> known, long now, long caughtUp) {
        if (known.isEmpty()) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            Rec r = known.get(ThreadLocalRandom.current().nextInt(known.size()));
            if (!r.busy && r.touchedAt < caughtUp && now - r.touchedAt >= SETTLE_MS) {
                return r;
            }
        }
        return null;
    }

    private void create(DemoEntity entity, boolean onFo) {
        long number = ++created;
        String account = (entity == DemoEntity.VENDORS ? "DV-" : "DM-") + runId + "-" + number;
        DemoEntity.Change c = entity.create(account, number, ThreadLocalRandom.current(), this::bind);
        Rec rec = new Rec(account, System.currentTimeMillis());
        rec.busy = true;
        records.get(entity).add(rec);
        CompletableFuture<HttpResponse<String>> call = onFo
                ? send(foUrl, "POST", "/data/" + entity.foSet, c.fo(), false)
                : send(dvUrl, "POST", API + entity.dataverseSet, c.dataverse(), true);
        call.whenComplete((r, e) -> {
            if (ok(r, e, onFo, entity, Op.CREATE) && !onFo) {
                rec.dataverseId = new JsonObject(r.body()).getString(entity.dataverseId);
            }
            rec.touchedAt = System.currentTimeMillis();
            rec.busy = false;
        });
    }

    /** The same kind of edit on both sides at once, with different values: a conflict for the map's policy. */
    private void concurrentEdit(DemoEntity entity, Rec rec) {
        concurrentEdits.incrementAndGet();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int kind = random.nextInt(entity.kinds());
        CompletableFuture<?> a = patchFo(entity, rec, entity.edit(kind, "both sides, F&O", random, this::bind).fo());
        CompletableFuture<?> b = patchDataverse(entity, rec, entity.edit(kind, "both sides, Dataverse", random, this::bind).dataverse());
        touch(rec, CompletableFuture.allOf(a, b));
    }

    private void delete(DemoEntity entity, boolean onFo, Rec rec) {
        records.get(entity).remove(rec);
        touch(rec, onFo
                ? send(foUrl, "DELETE", entity.foPath(rec.account), null, false).whenComplete((r, e) -> ok(r, e, true, entity, Op.DELETE))
                : dataverseId(entity, rec).thenCompose(id -> send(dvUrl, "DELETE", API + entity.dataverseSet + "(" + id + ")", null, false))
                .whenComplete((r, e) -> ok(r, e, false, entity, Op.DELETE)));
    }

    private static void touch(Rec rec, CompletableFuture<?> call) {
        rec.busy = true;
        call.whenComplete((r, e) -> {
            rec.touchedAt = System.currentTimeMillis();
            rec.busy = false;
        });
    }

    private CompletableFuture<HttpResponse<String>> patchFo(DemoEntity entity, Rec rec, JsonObject body) {
        return send(foUrl, "PATCH", entity.foPath(rec.account), body, false).whenComplete((r, e) -> ok(r, e, true, entity, Op.UPDATE));
    }

    private CompletableFuture<HttpResponse<String>> patchDataverse(DemoEntity entity, Rec rec, JsonObject body) {
        // If-Match: * keeps a PATCH an update: without it Dataverse would create a missing row
        return dataverseId(entity, rec).thenCompose(id -> send(dvUrl, "PATCH", API + entity.dataverseSet + "(" + id + ")", body, false,
                "If-Match", "*")).whenComplete((r, e) -> ok(r, e, false, entity, Op.UPDATE));
    }

    /** The record's Dataverse id: known when the driver created it there, else looked up once by number. */
    private CompletableFuture<String> dataverseId(DemoEntity entity, Rec rec) {
        if (rec.dataverseId != null) {
            return CompletableFuture.completedFuture(rec.dataverseId);
        }
        String filter = URLEncoder.encode(entity.dataverseKey + " eq '" + rec.account + "'", StandardCharsets.UTF_8).replace("+", "%20");
        return send(dvUrl, "GET", API + entity.dataverseSet + "?$select=" + entity.dataverseId + "&$filter=" + filter, null, false)
                .thenApply(r -> {
                    JsonArray value = r.statusCode() == 200 ? new JsonObject(r.body()).getJsonArray("value", new JsonArray()) : new JsonArray();
                    if (value.isEmpty()) {
                        throw new IllegalStateException(entity.name + " " + rec.account + " not (yet) in Dataverse");
                    }
                    rec.dataverseId = value.getJsonObject(0).getString(entity.dataverseId);
                    return rec.dataverseId;
                });
    }

    private boolean ok(HttpResponse<String> r, Throwable e, boolean onFo, DemoEntity entity, Op op) {
        if (e == null && r.statusCode() < 300) {
            (onFo ? foChanges : dataverseChanges).incrementAndGet();
            Tally t = tallies.get(entity);
            (op == Op.CREATE ? t.creates : op == Op.UPDATE ? t.updates : t.deletes).incrementAndGet();
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

    /** Every record of an F&O entity set, every company, as F&O's OData shows them (paged). */
    List<Map<String, Object>> foRows(String entitySet) {
        return pages(foUrl, "/data/" + entitySet + "?cross-company=true");
    }

    /** Every row of a Dataverse table as the Web API shows them (lookups as {@code _x_value}; paged). */
    List<Map<String, Object>> dataverseRows(String entitySet) {
        return pages(dvUrl, API + entitySet);
    }

    private List<Map<String, Object>> pages(String base, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        URI next = URI.create(base + path);
        while (next != null) {
            HttpResponse<String> r = get(next, "Bearer " + token(base));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET " + next + " -> " + r.statusCode() + " " + r.body());
            }
            JsonObject page = new JsonObject(r.body());
            for (Object o : page.getJsonArray("value", new JsonArray())) {
                out.add(((JsonObject) o).getMap());
            }
            String link = page.getString("@odata.nextLink");
            next = link == null ? null : URI.create(link.startsWith("http") ? link : base + link);
        }
        return out;
    }

    /** Every row of a table as the emulator stores it ({@code GET /_emulator/rows/{entitySet}}; lookups as guids). */
    private List<JsonObject> control(String base, String entitySet) {
        HttpResponse<String> r = get(URI.create(base + "/_emulator/rows/" + entitySet), null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /_emulator/rows/" + entitySet + " -> " + r.statusCode() + " " + r.body());
        }
        List<JsonObject> out = new ArrayList<>();
        for (Object o : new JsonArray(r.body())) {
            out.add((JsonObject) o);
        }
        return out;
    }

    private HttpResponse<String> get(URI uri, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("GET " + uri + ": " + e.getMessage(), e);
        }
    }

    private String post(String url, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("POST " + url + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("POST " + url + ": " + e.getMessage(), e);
        }
    }

    /** Change events the emulators have queued and not yet delivered (F&O events, Dataverse webhooks). */
    long pendingDeliveries() {
        return pending(foUrl, "eventDeliveries") + pending(dvUrl, "webhookDeliveries");
    }

    private long pending(String base, String source) {
        HttpResponse<String> r = get(URI.create(base + "/_emulator/counters"), null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /_emulator/counters -> " + r.statusCode());
        }
        JsonObject counts = new JsonObject(r.body()).getJsonObject(source, new JsonObject());
        return counts.getLong("pending", 0L);
    }

    /** A control API call ({@code POST /_emulator/...}). */
    void control(String base, String path, JsonObject body) {
        post(base + "/_emulator/" + path, body.encode());
    }

    /** The entities driven, for the webhook and event registrations. */
    List<DemoEntity> entities() {
        return List.copyOf(entities);
    }
}
