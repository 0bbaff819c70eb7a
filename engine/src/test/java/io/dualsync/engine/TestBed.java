package io.dualsync.engine;

import io.dualsync.config.EngineConfig;
import io.dualsync.connector.http.Emulated;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The whole engine in-process between both emulators, as the end-to-end tests of this package set it up:
 * emulators seeded with the demo data and requiring tokens, with a second client (a "person" in sales, whose
 * changes are not the engine's echoes); the engine configured from a YAML file written under the test's
 * folder (journal there too, free port); the Dataverse webhook for accounts and the F&O data event endpoint
 * for CustomersV3 registered to it. Then what the tests do as that person (OData calls with its token), as
 * a test set-up (rows written straight into the emulators, without events), and as an operator
 * ({@code /admin}, {@code /metrics}).
 *
 * <p>{@link #start} then {@link #close}. The HTTP helpers block: call them from the test thread, never
 * from an event loop.
 */
final class TestBed implements AutoCloseable {
    static final String PERSON = "someone-in-sales";
    static final String PERSON_SECRET = "someone-secret";
    /** The emulators' application user of the engine's client id (dualsync-dev). */
    static final String ENGINE_USER = UUID.nameUUIDFromBytes("app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();
    /** The header (and value) the admin API is configured to require. */
    static final String ADMIN_HEADER = "X-Dualsync-Admin";
    static final String ADMIN_KEY = "test-bed-admin-key";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    /** What differs between test beds: the maps and any configuration key. */
    static final class Options {
        private Path maps = exampleMaps();
        /** Dotted configuration keys, written as they are; later {@link #set}s replace earlier ones. */
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Options() {
            // a dead letter should not wait the default 10 minutes of retries in a test
            settings.put("apply.retry.deadline", "5s");
        }

        /** The folder of maps (and schemas) the engine runs. Default: examples/maps. */
        Options maps(Path dir) {
            this.maps = dir;
            return this;
        }

        /** Sets a configuration key by its dotted name ({@code apply.retry.deadline}), value as YAML text. */
        Options set(String key, String value) {
            settings.put(key, value);
            return this;
        }
    }

    static Options options() {
        return new Options();
    }

    /** The example maps of the repository (customers.map, vendors.map and their schemas). */
    static Path exampleMaps() {
        return Paths.get("..", "examples", "maps").toAbsolutePath().normalize();
    }

    /**
     * A copy of the example customers map and the schemas in {@code dir}, with its map-wide
     * {@code conflict} line replaced by {@code conflict POLICY} (for example {@code merge tie-break fo-wins}).
     */
    static Path customersMapWithConflict(Path dir, String policy) {
        try {
            Files.createDirectories(dir.resolve("schemas"));
            try (Stream<Path> schemas = Files.list(exampleMaps().resolve("schemas"))) {
                for (Path s : (Iterable<Path>) schemas::iterator) {
                    Files.copy(s, dir.resolve("schemas").resolve(s.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            String map = Files.readString(exampleMaps().resolve("customers.map"));
            String changed = map.replaceFirst("(?m)^  conflict .*$", "  conflict " + policy);
            if (!changed.contains("\n  conflict " + policy + "\n")) {
                throw new IllegalStateException("customers.map has no map-wide conflict line to replace");
            }
            Files.writeString(dir.resolve("customers.map"), changed);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final Emulated emulated;
    final Engine engine;
    final String engineUrl;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private TestBed(Emulated emulated, Engine engine) {
        this.emulated = emulated;
        this.engine = engine;
        this.engineUrl = "http://127.0.0.1:" + engine.port();
    }

    static TestBed start(Path dir) {
        return start(dir, options());
    }

    /** Starts both emulators and the engine (config and journal under {@code dir}) and registers the webhooks. */
    static TestBed start(Path dir, Options o) {
        // people change records as another application than the engine's, so their changes are no echoes
        Emulated emulated = Emulated.start(e -> e.clients.add(new EmulatorOptions.Client("dualsync-dev", PERSON, PERSON_SECRET, null)));
        try {
            String fo = emulated.foUrl();
            String dv = emulated.dataverseUrl();
            Map<String, String> keys = new LinkedHashMap<>();
            keys.put("fo.baseUrl", fo);
            keys.put("fo.tenant", "dualsync-dev");
            keys.put("fo.clientId", "dualsync-dev");
            keys.put("fo.clientSecret", "dualsync-dev-secret");
            keys.put("fo.tokenHost", fo);
            keys.put("dataverse.baseUrl", dv);
            keys.put("dataverse.tenant", "dualsync-dev");
            keys.put("dataverse.clientId", "dualsync-dev");
            keys.put("dataverse.clientSecret", "dualsync-dev-secret");
            keys.put("dataverse.tokenHost", dv);
            keys.put("identity.foUserId", ENGINE_USER);
            keys.put("identity.dataverseUserId", ENGINE_USER);
            keys.put("maps.dir", o.maps.toString());
            keys.put("journal.dir", dir.resolve("data").toString());
            keys.put("server.port", "0");
            keys.put("admin.auth.type", "HttpHeader");
            keys.put("admin.auth.name", ADMIN_HEADER);
            keys.put("admin.auth.value", ADMIN_KEY);
            keys.putAll(o.settings);
            StringBuilder yaml = new StringBuilder();
            keys.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
            Path file = dir.resolve("dualsync.yaml");
            Files.createDirectories(dir);
            Files.writeString(file, yaml);
            Engine engine = Emulated.await(new Engine(emulated.vertx, EngineConfig.load(file, name -> null)).start());
            TestBed bed = new TestBed(emulated, engine);
            emulated.control(dv, "POST", "webhooks", new JsonObject().put("url", bed.engineUrl + "/webhooks/dataverse")
                    .put("entity", "account").put("messages", new JsonArray().add("Create").add("Update").add("Delete")));
            emulated.control(fo, "POST", "events/endpoints", new JsonObject().put("url", bed.engineUrl + "/webhooks/fo")
                    .put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3")));
            return bed;
        } catch (IOException | RuntimeException e) {
            emulated.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    String foUrl() {
        return emulated.foUrl();
    }

    String dataverseUrl() {
        return emulated.dataverseUrl();
    }

    @Override
    public void close() {
        try {
            Emulated.await(engine.stop());
        } finally {
            emulated.close();
        }
    }

    // ---- as the person

    /** The person's token for an emulator, fetched once (token requests are POSTs the write counters would count). */
    String token(String base) {
        return tokens.computeIfAbsent(base, b -> {
            String form = "grant_type=client_credentials&client_id=" + PERSON + "&client_secret=" + PERSON_SECRET + "&scope="
                    + URLEncoder.encode(b + "/.default", StandardCharsets.UTF_8);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(b + "/dualsync-dev/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            return new JsonObject(r.body()).getString("access_token");
        });
    }

    /** An OData call as the person ({@code path} from the host: {@code /data/...}, {@code /api/data/v9.2/...}). */
    HttpResponse<String> call(String base, String method, String path, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token(base)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .build());
    }

    /** Creates a customer in F&O as the person (company usmf, group 10, currency USD) with {@code more} fields. */
    HttpResponse<String> createFoCustomer(String account, String name, JsonObject more) {
        JsonObject body = new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", account).put("PartyType", "Organization")
                .put("OrganizationName", name).put("CustomerGroupId", "10").put("SalesCurrencyCode", "USD");
        if (more != null) {
            body.mergeIn(more);
        }
        return call(foUrl(), "POST", "/data/CustomersV3", body);
    }

    HttpResponse<String> createFoCustomer(String account, String name) {
        return createFoCustomer(account, name, null);
    }

    /** Changes a usmf customer in F&O as the person: fires the F&O data event. */
    HttpResponse<String> updateFoCustomer(String account, JsonObject changes) {
        return call(foUrl(), "PATCH", "/data/CustomersV3(" + foKey(account) + ")", changes);
    }

    /** Changes an account in Dataverse as the person: fires the webhook. */
    HttpResponse<String> updateAccount(String number, JsonObject changes) {
        return call(dataverseUrl(), "PATCH", "/api/data/v9.2/accounts(" + accountId(number) + ")", changes);
    }

    /** The body of an account create in Dataverse: company USMF, currency EUR, customer type 3, and the group's id if given. */
    JsonObject newAccount(String number, String name, String groupId) {
        String company = guidOf("cdm_companies", "cdm_companycode", "USMF");
        String currency = guidOf("transactioncurrencies", "isocurrencycode", "EUR");
        JsonObject body = new JsonObject().put("name", name).put("accountnumber", number).put("customertypecode", 3)
                .put("msdyn_company@odata.bind", "/cdm_companies(" + company + ")")
                .put("transactioncurrencyid@odata.bind", "/transactioncurrencies(" + currency + ")");
        if (groupId != null) {
            body.put("msdyn_customergroupid@odata.bind", "/msdyn_customergroups(" + groupId + ")");
        }
        return body;
    }

    // ---- test set-up: straight into the emulators, no events

    /** Changes a usmf customer's row in the F&O emulator without an event (as if the event were not sent yet). */
    void patchFoRowSilently(String account, JsonObject changes) {
        emulated.control(foUrl(), "PATCH", "rows/CustomersV3/" + foKey(account), changes);
    }

    /** Changes an account's row in the Dataverse emulator without a webhook. */
    void patchAccountRowSilently(String number, JsonObject changes) {
        emulated.control(dataverseUrl(), "PATCH", "rows/accounts/" + accountId(number), changes);
    }

    private static String foKey(String account) {
        return "dataAreaId='usmf',CustomerAccount='" + account.replace("'", "''") + "'";
    }

    // ---- reading the emulators

    /** The id column of a Dataverse row whose {@code column} has {@code value}. */
    String guidOf(String table, String column, String value) {
        for (Object o : emulated.rows(dataverseUrl(), table)) {
            JsonObject row = (JsonObject) o;
            if (value.equals(String.valueOf(row.getValue(column)))) {
                return row.getString(idColumn(table));
            }
        }
        throw new IllegalStateException("no " + table + " with " + column + " " + value);
    }

    /** {@code accounts} -> {@code accountid}, {@code transactioncurrencies} -> {@code transactioncurrencyid}. */
    static String idColumn(String table) {
        return table.substring(0, table.length() - (table.endsWith("ies") ? 3 : 1)) + (table.endsWith("ies") ? "yid" : "id");
    }

    /** The F&O customer (any company) with that account, or null. */
    JsonObject foCustomer(String account) {
        for (Object o : emulated.rows(foUrl(), "CustomersV3")) {
            JsonObject row = (JsonObject) o;
            if (account.equals(row.getString("CustomerAccount"))) {
                return row;
            }
        }
        return null;
    }

    /** The Dataverse account with that number, or null. */
    JsonObject account(String number) {
        for (Object o : emulated.rows(dataverseUrl(), "accounts")) {
            JsonObject row = (JsonObject) o;
            if (number.equals(row.getString("accountnumber"))) {
                return row;
            }
        }
        return null;
    }

    /** The accountid of the account with that number; fails when there is none. */
    String accountId(String number) {
        JsonObject a = account(number);
        if (a == null) {
            throw new IllegalStateException("no account " + number + " in Dataverse");
        }
        return a.getString("accountid");
    }

    /** Successful writes (PATCH, POST) an emulator answered since its counters were last reset. */
    long writes(String base) {
        JsonObject byMethod = emulated.control(base, "GET", "counters", null).getJsonObject("requests", new JsonObject())
                .getJsonObject("byMethod", new JsonObject());
        long n = 0;
        for (String m : new String[] {"PATCH", "POST"}) {
            JsonObject byStatus = byMethod.getJsonObject(m, new JsonObject());
            for (String s : byStatus.fieldNames()) {
                if (s.startsWith("2")) {
                    n += byStatus.getLong(s);
                }
            }
        }
        return n;
    }

    // ---- as an operator

    /** Events applied to {@code target} with {@code result}, as the engine's meters count them. */
    double count(Side target, Metrics.ApplyResult result) {
        return engine.metrics().applyEvents(target, result).count();
    }

    /** A call to the engine's admin API with the configured admin header. */
    HttpResponse<String> admin(String method, String path, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(engineUrl + path)).timeout(Duration.ofSeconds(60))
                .header(ADMIN_HEADER, ADMIN_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
                .build());
    }

    /** {@code GET /admin/dead-letters?limit=1000}. */
    JsonArray deadLetters() {
        return list("/admin/dead-letters?limit=1000");
    }

    /** {@code GET /admin/conflicts?limit=1000}. */
    JsonArray conflicts() {
        return list("/admin/conflicts?limit=1000");
    }

    private JsonArray list(String path) {
        HttpResponse<String> r = admin("GET", path, null);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return new JsonArray(r.body());
    }

    /** An id as a path segment of the admin API. */
    static String pathSegment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code GET /metrics}: the Prometheus text. */
    String metricsText() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(engineUrl + "/metrics")).timeout(Duration.ofSeconds(60))
                .GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * The sum of the samples of a Prometheus series name ({@code dualsync_conflicts_total}) whose labels
     * include every {@code label=value} pair given ({@code "policy", "fo-wins"}); 0 when none is exposed.
     */
    double metric(String name, String... labels) {
        double sum = 0;
        for (String line : metricsText().split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String series = brace >= 0 ? line.substring(0, brace) : line.substring(0, Math.max(0, space));
            if (!series.equals(name)) {
                continue;
            }
            String labelText = brace >= 0 ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean all = true;
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (!labelText.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                sum += Double.parseDouble(line.substring(space + 1).trim());
            }
        }
        return sum;
    }

    /**
     * Sends with a bound on the whole exchange: the request's own timeout has been seen not to fire
     * (a JDK HttpClient hang), and a test must fail with the request named rather than hang.
     */
    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(120, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(),
                    e.getCause() instanceof IOException ? (IOException) e.getCause() : new IOException(e.getCause()));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("no answer in 120 s: " + request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + request.method() + " " + request.uri(), e);
        }
    }
}
