package io.dualsync.config;

import io.dualsync.config.Key.PathKind;
import io.dualsync.journal.Durability;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every configuration key, each declared once: name, type, default, description, validation. The
 * order here is the order of {@link #ALL}, of {@link EngineConfig#describe()} and of
 * docs/configuration.md.
 */
public final class ConfigKeys {
    private static final List<Key<?>> REGISTRY = new ArrayList<>();

    private ConfigKeys() {
    }

    /** The keys of one system's connection: {@code fo.*} and {@code dataverse.*} are declared by the same code. */
    public static final class SystemKeys {
        public final Key<URI> baseUrl;
        public final Key<String> tenant;
        public final Key<String> clientId;
        public final Key<Secret> clientSecret;
        public final Key<Path> certificateKey;
        public final Key<Path> certificateCert;
        public final Key<URI> authority;
        public final Key<URI> tokenHost;
        public final Key<String> scope;
        final String prefix;

        private SystemKeys(String prefix, String system, String exampleUrl) {
            this.prefix = prefix;
            baseUrl = reg(Key.url(prefix + ".baseUrl", null, false,
                    "The " + system + " environment's URL; requests go to its " + (prefix.equals("fo") ? "/data/" : "/api/data/v9.2/")
                            + " API. For the local emulators: http://127.0.0.1:" + (prefix.equals("fo") ? "7071" : "7072") + ".")
                    .required(true).example(exampleUrl));
            tenant = reg(Key.string(prefix + ".tenant", null,
                    "The Microsoft Entra tenant (id or domain) of the application that " + system + " trusts. Emulators: dualsync-dev.")
                    .required(true).example("contoso.onmicrosoft.com"));
            clientId = reg(Key.string(prefix + ".clientId", null,
                    "The application (client) id dualsync signs in as, registered as an application user in " + system + ".")
                    .required(true).example("00000000-0000-0000-0000-000000000000"));
            clientSecret = reg(Key.secret(prefix + ".clientSecret",
                    "The application's client secret. Set this or " + prefix + ".certificate.*, not both. Write ${ENV_VAR}, never the secret itself.")
                    .example("${" + prefix.toUpperCase(Locale.ROOT) + "_CLIENT_SECRET}"));
            certificateKey = reg(Key.path(prefix + ".certificate.key", null, PathKind.EXISTING_FILE,
                    "PEM private key (PKCS#8) of the application's certificate, instead of a client secret; with " + prefix + ".certificate.cert.")
                    .example("/etc/dualsync/" + prefix + ".key.pem"));
            certificateCert = reg(Key.path(prefix + ".certificate.cert", null, PathKind.EXISTING_FILE,
                    "PEM X.509 certificate whose public key is registered on the application; with " + prefix + ".certificate.key.")
                    .example("/etc/dualsync/" + prefix + ".cert.pem"));
            authority = reg(Key.url(prefix + ".authority", null, true,
                    "The Entra authority tokens are requested from (https only: MSAL refuses http).")
                    .defaultText("https://login.microsoftonline.com/<tenant>/")
                    .example("https://login.microsoftonline.com/contoso.onmicrosoft.com/"));
            tokenHost = reg(Key.url(prefix + ".tokenHost", null, false,
                    "For local emulators only: token requests for the authority are sent to this http(s) host instead "
                            + "(the authority stays port-less, so MSAL's token cache works).")
                    .example("http://127.0.0.1:" + (prefix.equals("fo") ? "7071" : "7072")));
            scope = reg(Key.string(prefix + ".scope", null,
                    "The client-credentials scope dualsync requests tokens for.")
                    .defaultText("<baseUrl>/.default").example(exampleUrl + "/.default"));
        }
    }

    /** The keys of one inbound authentication ({@code type}, {@code name}, {@code value}). */
    public static final class AuthKeys {
        public final Key<InboundAuth.Type> type;
        public final Key<String> name;
        public final Key<Secret> value;
        final String prefix;

        private AuthKeys(String prefix, String what, List<InboundAuth.Type> types) {
            this.prefix = prefix;
            type = reg(Key.choice(prefix + ".type", types, InboundAuth.Type::word, InboundAuth.Type.NONE,
                    "How " + what + " prove they are allowed: " + describeTypes(types) + ".")
                    .example(types.get(1).word()));
            name = reg(Key.string(prefix + ".name", null,
                    "The header " + (types.contains(InboundAuth.Type.HTTP_QUERY_STRING) ? "or query parameter " : "")
                            + "that carries the value (HttpHeader" + (types.contains(InboundAuth.Type.HTTP_QUERY_STRING) ? ", HttpQueryString" : "")
                            + ").")
                    .example("X-Dualsync-Key"));
            value = reg(Key.secret(prefix + ".value", "The expected value, compared in constant time.")
                    .example("${" + prefix.toUpperCase(Locale.ROOT).replace('.', '_') + "_VALUE}"));
        }

        private static String describeTypes(List<InboundAuth.Type> types) {
            List<String> parts = new ArrayList<>();
            for (InboundAuth.Type t : types) {
                switch (t) {
                    case HTTP_HEADER:
                        parts.add("HttpHeader (a header `name: value`)");
                        break;
                    case WEBHOOK_KEY:
                        parts.add("WebhookKey (query parameter `code=value`)");
                        break;
                    case HTTP_QUERY_STRING:
                        parts.add("HttpQueryString (query parameter `name=value`)");
                        break;
                    default:
                        parts.add("none (anyone who can reach the port)");
                }
            }
            return String.join(", ", parts);
        }
    }

    // ---- systems ----
    public static final SystemKeys FO = new SystemKeys("fo", "F&O", "https://usmf.operations.dynamics.com");
    public static final SystemKeys DATAVERSE = new SystemKeys("dataverse", "Dataverse", "https://contoso.crm.dynamics.com");

    // ---- maps ----
    public static final Key<Path> MAPS_DIR = reg(Key.path("maps.dir", "maps", PathKind.EXISTING_DIRECTORY,
            "Folder of the .map files to run (searched recursively, with any *.schema.json entity schemas in it)."));
    public static final Key<Path> MAPS_SCHEMAS = reg(Key.path("maps.schemas", null, PathKind.EXISTING_DIRECTORY,
            "Another folder of entity schemas (*.schema.json) the maps are checked against.")
            .example("schemas"));

    // ---- journal ----
    public static final Key<Path> JOURNAL_DIR = reg(Key.path("journal.dir", "data/journal", PathKind.DIRECTORY_TO_CREATE,
            "Folder of the journal (Chronicle Queue files), the readers' positions, the conflict state and the dead "
                    + "letters. Created when missing. Keep it on a local disk."));
    public static final Key<Durability> JOURNAL_DURABILITY = reg(Key.choice("journal.durability", List.of(Durability.values()),
            d -> d.name().toLowerCase(Locale.ROOT), Durability.PROCESS,
            "When an event counts as journaled and is acknowledged: process (after the append: survives kill -9 "
                    + "of dualsync, not a power loss) or power (after the next group-commit sync to disk: survives power loss).")
            .example("power"));
    public static final Key<Duration> JOURNAL_SYNC_INTERVAL = reg(Key.duration("journal.syncInterval", Duration.ofMillis(10),
            Duration.ofMillis(1), Duration.ofSeconds(1),
            "With durability power: how often appended events are synced to disk as one group commit (the longest an "
                    + "acknowledgement waits for it)."));
    public static final Key<Integer> JOURNAL_MAX_UNCONSUMED = reg(Key.integer("journal.maxUnconsumed", 100_000, 1, 1_000_000_000,
            "Back-pressure: when this many journaled events are not yet processed by the slowest reader, ingest answers "
                    + "503 with Retry-After instead of accepting more."));
    public static final Key<Duration> JOURNAL_RETENTION = reg(Key.duration("journal.retention", Duration.ofDays(7),
            Duration.ofHours(1), Duration.ofDays(3650),
            "Journal files fully processed by every reader and older than this are deleted."));

    // ---- server ----
    public static final Key<String> SERVER_HOST = reg(Key.string("server.host", "127.0.0.1",
            "Address the HTTP server listens on: webhooks, /events, /admin, /metrics and /health. 0.0.0.0 for every "
                    + "interface (then set webhook and admin authentication)."));
    public static final Key<Integer> SERVER_PORT = reg(Key.integer("server.port", 8080, 0, 65535,
            "Port of that server (ingest, admin, metrics and health on one port). 0 picks a free port."));
    public static final Key<Integer> SERVER_MAX_BODY_BYTES = reg(Key.integer("server.maxBodyBytes", 1_048_576, 1024, 64 * 1_048_576,
            "Largest request body accepted; bigger ones get 413 and are not journaled. Dataverse webhooks are at most 256 KB."));
    public static final Key<Duration> SERVER_RETRY_AFTER = reg(Key.duration("server.retryAfter", Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofHours(1),
            "The Retry-After sent with 503 when the journal is unavailable or full, or dualsync is shutting down "
                    + "(whole seconds)."));

    // ---- inbound authentication ----
    public static final AuthKeys DATAVERSE_WEBHOOK_AUTH = new AuthKeys("webhooks.dataverse.auth", "Dataverse webhook calls (POST /webhooks/dataverse)",
            List.of(InboundAuth.Type.NONE, InboundAuth.Type.HTTP_HEADER, InboundAuth.Type.WEBHOOK_KEY, InboundAuth.Type.HTTP_QUERY_STRING));
    public static final AuthKeys FO_WEBHOOK_AUTH = new AuthKeys("webhooks.fo.auth", "F&O event deliveries (POST /webhooks/fo)",
            List.of(InboundAuth.Type.NONE, InboundAuth.Type.HTTP_HEADER));
    public static final AuthKeys EVENTS_AUTH = new AuthKeys("events.auth", "producers of canonical events (POST /events)",
            List.of(InboundAuth.Type.NONE, InboundAuth.Type.HTTP_HEADER));
    public static final AuthKeys ADMIN_AUTH = new AuthKeys("admin.auth", "callers of the admin API (/admin/...)",
            List.of(InboundAuth.Type.NONE, InboundAuth.Type.HTTP_HEADER));

    // ---- apply ----
    public static final Key<Integer> APPLY_MAX_CONCURRENCY_DATAVERSE = reg(Key.integer("apply.maxConcurrency.dataverse", 52, 1, 52,
            "Most requests in flight to Dataverse (its service protection limit is 52 concurrent per user). On 429 "
                    + "dualsync lowers its limit and raises it again up to this as calls succeed."));
    public static final Key<Integer> APPLY_MAX_CONCURRENCY_FO = reg(Key.integer("apply.maxConcurrency.fo", 32, 1, 256,
            "Most requests in flight to F&O, adapted the same way on 429."));
    public static final Key<Duration> APPLY_REQUEST_TIMEOUT = reg(Key.duration("apply.requestTimeout", Duration.ofSeconds(30),
            Duration.ofMillis(100), Duration.ofMinutes(10),
            "How long one request to a target may take before it counts as a timeout (and is retried)."));
    public static final Key<Duration> APPLY_RETRY_INITIAL_BACKOFF = reg(Key.duration("apply.retry.initialBackoff", Duration.ofMillis(200),
            Duration.ofMillis(1), Duration.ofMinutes(10),
            "Wait before the first retry of a 5xx, timeout or connection error; doubled on each retry, with jitter."));
    public static final Key<Duration> APPLY_RETRY_MAX_BACKOFF = reg(Key.duration("apply.retry.maxBackoff", Duration.ofSeconds(30),
            Duration.ofMillis(1), Duration.ofHours(1),
            "Longest wait between two retries."));
    public static final Key<Duration> APPLY_RETRY_DEADLINE = reg(Key.duration("apply.retry.deadline", Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ofDays(7),
            "How long an event is retried before it goes to the dead letters. While it is retried, only later events "
                    + "of the same record wait."));
    public static final Key<Integer> APPLY_LANES = reg(Key.integer("apply.lanes", 16, 1, 1024,
            "Parallel lanes per target: events are spread over lanes by record key, in journal order within a lane."));
    public static final Key<Integer> APPLY_QUEUE_PER_TARGET = reg(Key.integer("apply.queuePerTarget", 1000, 1, 1_000_000,
            "Events read from the journal and waiting for one target; when full, reading for that target pauses."));
    public static final Key<Integer> LOOKUPS_CACHE_SIZE = reg(Key.integer("lookups.cacheSize", 10_000, 0, 10_000_000,
            "Resolved lookups (related records' keys and ids) kept in memory per target; 0 disables the cache."));
    public static final Key<Duration> LOOKUPS_TTL = reg(Key.duration("lookups.ttl", Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ofDays(1),
            "How long a resolved lookup is kept."));

    // ---- echo suppression ----
    public static final Key<Integer> ECHO_CACHE_SIZE = reg(Key.integer("echo.cacheSize", 100_000, 1, 100_000_000,
            "Fingerprints of our own recent writes kept to recognise them when they come back as change events."));
    public static final Key<Duration> ECHO_TTL = reg(Key.duration("echo.ttl", Duration.ofMinutes(10),
            Duration.ofSeconds(1), Duration.ofDays(1),
            "How long a write's fingerprint is kept to recognise its echo."));

    // ---- identity ----
    public static final Key<String> IDENTITY_DATAVERSE_USER_ID = reg(Key.string("identity.dataverseUserId", null,
            "Our application user's systemuserid in Dataverse: Dataverse changes made by it are echoes of our writes.")
            .check(ConfigKeys::isGuid, "expected a GUID like 4b0f4fbc-3a54-4c4e-9b1e-0f1c2d3e4f50 (the systemuserid)")
            .example("4b0f4fbc-3a54-4c4e-9b1e-0f1c2d3e4f50"));
    public static final Key<String> IDENTITY_FO_USER_ID = reg(Key.string("identity.foUserId", null,
            "Our application's user in F&O as its events name it (InitiatingUserAADObjectId or the user id): F&O changes "
                    + "made by it are echoes of our writes.")
            .example("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d"));
    public static final Key<String> IDENTITY_TAG = reg(Key.string("identity.tag", "dualsync",
            "The tag sent with every Dataverse write (?tag=); webhooks carrying it are echoes of our writes."));

    // ---- shutdown ----
    public static final Key<Duration> SHUTDOWN_DRAIN_TIMEOUT = reg(Key.duration("shutdown.drainTimeout", Duration.ofSeconds(30),
            Duration.ZERO, Duration.ofHours(1),
            "On SIGTERM: intake stops (503) at once; in-flight writes get this long to finish before positions are "
                    + "recorded and the journal closed. Unfinished events are applied again after a restart."));

    /** Every key, in declaration order. */
    public static final List<Key<?>> ALL = List.copyOf(REGISTRY);

    private static final Map<String, Key<?>> BY_NAME = index();

    /**
     * Keys that were configuration once and are said elsewhere now, with where: a file that still has
     * one is told where it went instead of getting a bare "unknown key".
     */
    private static final Map<String, String> MOVED = Map.of(
            "businessEvents", "moved to the maps: bind each F&O business event in the map of its entity, e.g. "
                    + "`event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount` "
                    + "(docs/mapping-language.md, \"Business events\"), and remove businessEvents from this file");

    /** Where a key that is no longer configuration has gone (a whole problem message), or null. */
    static String moved(String name) {
        return MOVED.get(name);
    }

    /** The key with this dotted name, or null. */
    public static Key<?> byName(String name) {
        return BY_NAME.get(name);
    }

    private static Map<String, Key<?>> index() {
        Map<String, Key<?>> byName = new HashMap<>();
        for (Key<?> k : ALL) {
            byName.put(k.name(), k);
        }
        return byName;
    }

    private static <T> Key<T> reg(Key<T> key) {
        for (Key<?> k : REGISTRY) {
            if (k.name().equals(key.name())) {
                throw new IllegalStateException("configuration key declared twice: " + key.name());
            }
        }
        REGISTRY.add(key);
        return key;
    }

    private static boolean isGuid(String s) {
        return s.matches("(?i)\\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}?");
    }
}
