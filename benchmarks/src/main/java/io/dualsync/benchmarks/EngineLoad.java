package io.dualsync.benchmarks;

import io.dualsync.config.EngineConfig;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.engine.Engine;
import io.dualsync.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Load driver of the whole engine: how many F&O changes per second dualsync carries into Dataverse,
 * against what the Dataverse emulator takes from a tight client, and how long one change takes at a
 * fixed 1,000 changes per second. One run reports all of it.
 *
 * <p>In one JVM: both emulators (demo seed, authentication on, Dataverse service protection limits
 * raised so they never throttle) on one Vert.x instance, and the engine ({@link Engine}, its own
 * Vert.x instance as in {@code dualsync run}, the example maps, a journal in a temporary folder with
 * durability {@code process}) signing in to them with MSAL. The emulators, the driver and the engine
 * each run on an event loop of their own; all share the machine's cores.
 *
 * <ol>
 *   <li><b>Raw capacity</b>: {@link DataversePatchLoad}'s tight client (PATCH upserts of accounts by
 *       alternate key, {@code --in-flight} outstanding, no engine running yet) for {@code --raw-warmup}
 *       then {@code --raw-seconds}.</li>
 *   <li><b>Set-up</b>: the engine starts; the Dataverse webhook for accounts (Create, Update, Delete)
 *       is registered back to the engine's {@code /webhooks/dataverse} as in production, so every
 *       write of the engine comes back as an echo ({@code --echo off} leaves it out). An F&O data
 *       event endpoint is registered on the F&O emulator, and one customer is created and updated
 *       there through OData: the two data events the emulator delivers to the engine become the
 *       templates of every event the driver sends (so they have exactly the emulator's shape: the
 *       whole record in the Target, the PreImage for Updated), and their account in Dataverse shows
 *       that the whole path works. The endpoint is then removed: from here on only the driver sends.</li>
 *   <li><b>Saturation</b>: {@link EventSender#saturate} posts data events of {@code --records}
 *       customers to {@code POST /webhooks/fo} over {@code --in-flight} connections, as fast as they are
 *       accepted (a 503 is sent again after its Retry-After; the journal's back-pressure limit is
 *       {@code --max-unconsumed}). The first event of a customer creates it, later ones update it.
 *       After {@code --warmup} seconds, for {@code --seconds}: events per second = events applied
 *       (written to Dataverse) in the period / its length. {@code --seconds 0} leaves this phase out
 *       (for a latency run at another rate: give the fixed rate a longer warm-up then).</li>
 *   <li>The engine drains (every journaled event done, every echo webhook delivered).</li>
 *   <li><b>Fixed rate</b>: {@code --rate} events per second (updates) for {@code --rate-warmup}, then
 *       {@code --rate-seconds} measured; latency of each measured event from its intended send time to
 *       the Dataverse emulator's commit of its write (HdrHistogram).</li>
 * </ol>
 *
 * <p>An event counts as applied when the Dataverse emulator commits an accounts write whose
 * {@code description} is the event's SalesMemo ({@code load event <seq>}): an in-process listener
 * on the emulator's change events ({@link AppliedWrites}), independent of the engine's own counters,
 * which are printed beside it. The run fails (exit 1) when the engine refuses an event, when not every
 * accepted event is applied exactly once, or when an event ends dead-lettered, stale, duplicate,
 * skipped or in a conflict (nothing else writes Dataverse here); figures below a goal do not fail it. A progress line is printed every 2 seconds, and CPU time per event of the
 * emulators', driver's and engine's event loops and of the process for each measured period. With
 * {@code --jfr DIR} each measured period is also recorded with JFR ({@link JfrTop} summarises it).
 *
 * <p>Command, from the repository root (figures in docs/benchmarks.md, "Engine: end-to-end load"):
 * <pre>
 * mvn -B -q -o -pl benchmarks -am package -DskipTests
 * java $(sed -n 's:.*&lt;dualsync.jvm.flags&gt;\(.*\)&lt;/dualsync.jvm.flags&gt;.*:\1:p' pom.xml) \
 *   -cp benchmarks/target/benchmarks.jar io.dualsync.benchmarks.EngineLoad
 * </pre>
 */
public final class EngineLoad {
    private static final String DRIVER_CLIENT = "dualsync-load-driver";
    private static final String DRIVER_SECRET = "dualsync-load-driver-secret";
    private static final String KEY_HEADER = "X-Dualsync-Key";
    private static final String FO_KEY = "load-fo-webhook-key";
    private static final String DATAVERSE_KEY = "load-dataverse-webhook-key";
    /** The engine's application user in both emulators (client dualsync-dev): its writes are echoes. */
    private static final String ENGINE_USER = UUID.nameUUIDFromBytes("app-user:dualsync-dev".getBytes(StandardCharsets.UTF_8)).toString();
    private static final long PROGRESS_MS = 2_000;

    // markers of the set-up customer, cut out of its events as slots (none contains another)
    private static final String M_ACCOUNT = "QQACCOUNTQQ";
    private static final String M_NAME = "QQNAMEQQ";
    private static final String M_MEMO = "QQMEMOQQ";
    private static final String M_NEW_NAME = "QQNEWNAMEQQ";
    private static final String M_NEW_MEMO = "QQNEWMEMOQQ";

    /** The command line. */
    record Settings(int inFlight, int records, int rawWarmup, int rawSeconds, int warmup, int seconds, int rate,
                    int rateWarmup, int rateSeconds, int maxUnconsumed, boolean echo, Path maps, int drainSeconds, Path jfr) {
        static final String USAGE = "usage: EngineLoad [--in-flight 64] [--records 5000] [--raw-warmup 25] [--raw-seconds 20]"
                + " [--warmup 60] [--seconds 20] [--rate 1000] [--rate-warmup 10] [--rate-seconds 30]"
                + " [--max-unconsumed 10000] [--echo on|off] [--maps examples/maps] [--drain-seconds 300] [--jfr DIR]";

        static Settings parse(String[] args) {
            Map<String, String> v = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new IllegalArgumentException("");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                v.put(a, args[++i]);
            }
            int inFlight = take(v, "--in-flight", 64, 1, 1024);
            int records = take(v, "--records", 5_000, 1, 1_000_000);
            int rawWarmup = take(v, "--raw-warmup", 25, 0, 300);
            int rawSeconds = take(v, "--raw-seconds", 20, 0, 600);
            int warmup = take(v, "--warmup", 60, 0, 600);
            int seconds = take(v, "--seconds", 20, 0, 600);
            int rate = take(v, "--rate", 1_000, 1, 100_000);
            int rateWarmup = take(v, "--rate-warmup", 10, 0, 300);
            int rateSeconds = take(v, "--rate-seconds", 30, 1, 600);
            int maxUnconsumed = take(v, "--max-unconsumed", 10_000, 100, 1_000_000_000);
            int drain = take(v, "--drain-seconds", 300, 10, 3_600);
            String echo = v.remove("--echo");
            if (echo != null && !echo.equals("on") && !echo.equals("off")) {
                throw new IllegalArgumentException("--echo is on or off, not " + echo);
            }
            String maps = v.remove("--maps");
            String jfr = v.remove("--jfr");
            if (!v.isEmpty()) {
                throw new IllegalArgumentException("unknown option " + v.keySet().iterator().next());
            }
            if (records <= inFlight) {
                throw new IllegalArgumentException("--records must be more than --in-flight (a customer has one event on its way at a time)");
            }
            return new Settings(inFlight, records, rawWarmup, rawSeconds, warmup, seconds, rate, rateWarmup, rateSeconds,
                    maxUnconsumed, !"off".equals(echo), Paths.get(maps == null ? "examples/maps" : maps).toAbsolutePath().normalize(),
                    drain, jfr == null ? null : Paths.get(jfr).toAbsolutePath().normalize());
        }

        private static int take(Map<String, String> v, String name, int def, int min, int max) {
            String s = v.remove(name);
            if (s == null) {
                return def;
            }
            int n;
            try {
                n = Integer.parseInt(s.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a whole number, not " + s);
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println(Settings.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        if (!Files.isDirectory(s.maps())) {
            System.err.println("no maps folder " + s.maps() + ": run from the repository root or give --maps");
            System.exit(2);
            return;
        }
        // Starting the emulators (schemas, demo seed) runs on their event loop and may take seconds on a busy machine.
        Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(30).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
        // The engine's own Vert.x with the defaults, as `dualsync run` has it.
        Vertx engineVertx = Vertx.vertx();
        Path work = Files.createTempDirectory("dualsync-engine-load");
        EngineLoad run = new EngineLoad(vertx, engineVertx, work, s);
        int exit;
        try {
            exit = run.run();
        } catch (Exception e) {
            System.out.println("FAILED: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            run.close();
            deleteTree(work);
        }
        System.exit(exit);
    }

    private final Vertx vertx;
    private final Vertx engineVertx;
    private final Path work;
    private final Settings s;
    private LoadSupport.Host host;
    private Engine engine;
    private LoadSupport.Loop engineLoop;
    private LoadSupport.Loop driverLoop;
    private HttpClientAgent client;
    private AppliedWrites applied;
    private EventSender sender;
    private WebClient web;
    /** With --jfr: a recording from the start, so JFR's instrumentation is in place before the JIT compiles the hot paths. */
    private jdk.jfr.Recording baseRecording;
    /** Applied events counted when the Dataverse emulator's request counters were reset. */
    private long appliedAtCountersReset;

    private EngineLoad(Vertx vertx, Vertx engineVertx, Path work, Settings s) {
        this.vertx = vertx;
        this.engineVertx = engineVertx;
        this.work = work;
        this.s = s;
    }

    /** What the two end-to-end phases measured. */
    private record Saturation(double eventsPerSecond, double acceptedPerSecond, long unavailable, double engineAppliedPerSecond,
                              double echoesPerSecond, long echoBacklogGrowth) {
    }

    /**
     * @param measured events intended to be sent in the measured period
     * @param sentPerSecond events accepted by the engine in the measured period, per second (the rate achieved)
     */
    private record FixedRate(long measured, double sentPerSecond, double appliedPerSecond, Histogram latency, long seen) {
        /** Whether the driver sent (nearly) the whole rate: otherwise the latencies describe a backlog. */
        boolean kept(int rate, int seconds) {
            return measured >= 0.95 * rate * seconds && sentPerSecond >= 0.95 * rate;
        }
    }

    private int run() throws Exception {
        facts();
        if (s.jfr() != null) {
            // Starting a recording instruments I/O classes, which throws away their compiled code: started mid-run
            // it made the engine ten times slower for a minute. So one recording runs from the start (kept in memory,
            // never written), and each measured period's own recording adds no new instrumentation. The "default"
            // settings: "profile" (10 ms samples, allocation samples, more stacks) cost this engine half its throughput.
            baseRecording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("default"));
            baseRecording.setToDisk(false);
            baseRecording.setMaxSize(16L << 20);
            baseRecording.start();
        }
        EmulatorOptions options = LoadSupport.unthrottledOptions();
        // the driver changes customers as an application other than the engine's, so its changes are no echoes
        options.clients.add(new EmulatorOptions.Client(options.devTenant, DRIVER_CLIENT, DRIVER_SECRET, null));
        host = new LoadSupport.Host(options);
        vertx.deployVerticle(host).await(120, TimeUnit.SECONDS);
        // Named so CPU figures and JFR samples tell the event loops apart (both Vert.x instances have a thread-0).
        host.thread.setName("emulators-loop");

        DataversePatchLoad.Result raw = null;
        if (s.rawSeconds() > 0) {
            System.out.println();
            System.out.println("=== Phase 1: raw PATCH capacity of the Dataverse emulator (tight client, no engine) ===");
            raw = DataversePatchLoad.measure(vertx, host, new DataversePatchLoad.Settings(s.inFlight(), s.rawWarmup(),
                    s.rawSeconds(), 10_000));
            if (raw.exit() != 0) {
                System.out.println("FAILED: the raw capacity phase failed");
                return 1;
            }
        }

        System.out.println();
        System.out.println("=== Set-up: engine, webhooks, event templates ===");
        startEngine();
        String engineUrl = "http://127.0.0.1:" + engine.port();
        applied = new AppliedWrites(M_NEW_MEMO);
        host.emulators.dataverse().context().addListener(applied);
        web = WebClient.create(vertx);
        if (s.echo()) {
            JsonObject r = control(web, host.emulators.dataverseUrl(), "POST", "webhooks", new JsonObject()
                    .put("url", engineUrl + "/webhooks/dataverse").put("entity", "account")
                    .put("messages", new JsonArray().add("Create").add("Update").add("Delete"))
                    .put("authType", "WebhookKey").put("authValue", DATAVERSE_KEY));
            System.out.println("Dataverse webhook for accounts -> engine registered (" + r.getString("id") + "): our writes come back as echoes");
        } else {
            System.out.println("Dataverse webhook NOT registered (--echo off): no echoes");
        }
        FoEventTemplate[] templates = captureTemplates(web, engineUrl);
        // From here the Dataverse emulator counts only the requests of the measured phases' events and their echoes.
        control(web, host.emulators.dataverseUrl(), "DELETE", "counters", null);
        appliedAtCountersReset = applied.applied();

        driverLoop = LoadSupport.loopApartFrom(vertx, host.thread);
        driverLoop.thread.setName("driver-loop");
        sender = new EventSender(vertx, engine.port(), templates[0], templates[1], "127.0.0.1",
                "mserp_custcustomerv3entity", KEY_HEADER, FO_KEY, s.records());
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS));
        Promise<Void> connected = Promise.promise();
        driverLoop.context().runOnContext(v -> LoadSupport.connect(client, engine.port(), s.inFlight())
                .onSuccess(sender::use).<Void>mapEmpty().onComplete(connected));
        connected.future().await(60, TimeUnit.SECONDS);

        Saturation sat = null;
        if (s.seconds() > 0) {
            System.out.println();
            System.out.printf(Locale.US, "=== Phase 2: end-to-end saturation, %d in flight, %,d customers, echo webhook %s, warm-up %d s, measured %d s ===%n",
                    s.inFlight(), s.records(), s.echo() ? "on" : "off", s.warmup(), s.seconds());
            sat = saturate();
            if (sat == null) {
                return 1;
            }
            if (!drain("after saturation")) {
                return 1;
            }
        }

        System.out.println();
        System.out.printf(Locale.US, "=== Phase 3: fixed rate %,d events/s, warm-up %d s, measured %d s ===%n",
                s.rate(), s.rateWarmup(), s.rateSeconds());
        FixedRate fixed = fixedRate();
        if (fixed == null) {
            return 1;
        }
        if (!drain("at the end")) {
            return 1;
        }
        return summary(raw, sat, fixed);
    }

    private static void facts() {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.US, "Machine: %d processors available to the JVM, load average %.2f; %s %s (%s); max heap %,d MB; GC %s%n",
                rt.availableProcessors(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"),
                rt.maxMemory() >> 20, ManagementFactory.getGarbageCollectorMXBeans().stream().map(g -> g.getName()).toList());
    }

    // ---- set-up ----------------------------------------------------------------------------------

    private void startEngine() throws Exception {
        Path journal = work.resolve("data");
        String fo = host.emulators.foUrl();
        String dv = host.emulators.dataverseUrl();
        String yaml = String.join("\n",
                "fo:",
                "  baseUrl: " + fo,
                "  tenant: " + LoadSupport.TENANT,
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + fo,
                "dataverse:",
                "  baseUrl: " + dv,
                "  tenant: " + LoadSupport.TENANT,
                "  clientId: dualsync-dev",
                "  clientSecret: dualsync-dev-secret",
                "  tokenHost: " + dv,
                "identity:",
                "  foUserId: " + ENGINE_USER,
                "  dataverseUserId: " + ENGINE_USER,
                "maps:",
                "  dir: " + s.maps(),
                "journal:",
                "  dir: " + journal,
                "  durability: process",
                "  maxUnconsumed: " + s.maxUnconsumed(),
                "server:",
                "  host: 127.0.0.1",
                "  port: 0",
                "webhooks:",
                "  dataverse:",
                "    auth:",
                "      type: WebhookKey",
                "      value: " + DATAVERSE_KEY,
                "  fo:",
                "    auth:",
                "      type: HttpHeader",
                "      name: " + KEY_HEADER,
                "      value: " + FO_KEY,
                "");
        Path file = work.resolve("dualsync.yaml");
        Files.writeString(file, yaml);
        EngineConfig config = EngineConfig.load(file, name -> null);
        engineLoop = LoadSupport.loopApartFrom(engineVertx);
        engineLoop.thread.setName("engine-loop");
        engine = new Engine(engineVertx, config);
        // Started from the engine loop's context: its HTTP server (ingest) and pipeline then run on that
        // one event loop, as `dualsync run` has them on the context its start creates.
        Promise<Engine> started = Promise.promise();
        engineLoop.context().runOnContext(v -> engine.start().onComplete(started));
        started.future().await(120, TimeUnit.SECONDS);
        System.out.println("Engine on port " + engine.port() + ", maps " + s.maps() + ", journal " + journal
                + " (durability process, maxUnconsumed " + s.maxUnconsumed() + ")");
        System.out.println("Configuration:\n  " + yaml.strip().replace("\n", "\n  ").replace(FO_KEY, "****").replace(DATAVERSE_KEY, "****")
                .replace("dualsync-dev-secret", "****"));
    }

    /**
     * The OnExternalCreated and OnExternalUpdated templates, from a customer created then renamed in the
     * F&O emulator and delivered to the engine; waits until the engine has written it to Dataverse.
     */
    private FoEventTemplate[] captureTemplates(WebClient web, String engineUrl) throws Exception {
        String fo = host.emulators.foUrl();
        JsonObject endpoint = control(web, fo, "POST", "events/endpoints", new JsonObject()
                .put("url", engineUrl + "/webhooks/fo").put("kind", "data").put("entitySets", new JsonArray().add("CustomersV3"))
                .put("headers", new JsonObject().put(KEY_HEADER, FO_KEY)));
        String endpointId = endpoint.getString("id");
        String token = LoadSupport.token(web, fo, DRIVER_CLIENT, DRIVER_SECRET, 60);
        JsonObject customer = new JsonObject()
                .put("dataAreaId", "usmf").put("CustomerAccount", M_ACCOUNT).put("PartyType", "Organization")
                .put("OrganizationName", M_NAME).put("SalesMemo", M_MEMO)
                .put("CustomerGroupId", "10").put("SalesCurrencyCode", "USD").put("LanguageId", "en-us")
                .put("CreditLimit", 25000.5).put("OrganizationNumberOfEmployees", 120)
                .put("PrimaryContactEmail", "orders@load.dualsync.example").put("PrimaryContactPhone", "+1 425 555 0100")
                .put("PrimaryContactURL", "https://load.dualsync.example")
                .put("DeliveryAddressStreet", "1 Load Test Avenue").put("DeliveryAddressCity", "Redmond")
                .put("DeliveryAddressState", "WA").put("DeliveryAddressZipCode", "98052")
                .put("DeliveryAddressCountryRegionISOCode", "US")
                .put("InvoiceAddressStreet", "1 Load Test Avenue").put("InvoiceAddressCity", "Redmond")
                .put("InvoiceAddressState", "WA").put("InvoiceAddressZipCode", "98052")
                .put("InvoiceAddressCountryRegionISOCode", "US");
        HttpResponse<Buffer> created = web.postAbs(fo + "/data/CustomersV3").bearerTokenAuthentication(token)
                .sendJsonObject(customer).await(30, TimeUnit.SECONDS);
        check(created, "create the set-up customer in F&O");
        HttpResponse<Buffer> renamed = web.patchAbs(fo + "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='" + M_ACCOUNT + "')")
                .bearerTokenAuthentication(token)
                .sendJsonObject(new JsonObject().put("OrganizationName", M_NEW_NAME).put("SalesMemo", M_NEW_MEMO))
                .await(30, TimeUnit.SECONDS);
        check(renamed, "update the set-up customer in F&O");

        Map<String, JsonObject> payloads = new HashMap<>();
        awaitCondition("the F&O emulator to deliver the set-up customer's two data events to the engine", 60, () -> {
            payloads.clear();
            JsonArray deliveries = control(web, fo, "GET", "events/deliveries?endpoint=" + endpointId, null).getJsonArray("value");
            for (Object o : deliveries) {
                JsonObject d = (JsonObject) o;
                if ("delivered".equals(d.getString("status"))) {
                    payloads.put(d.getString("event"), d.getJsonObject("payload"));
                }
            }
            return payloads.containsKey("OnExternalCreated") && payloads.containsKey("OnExternalUpdated");
        });
        control(web, fo, "DELETE", "events/endpoints/" + endpointId, null);
        awaitCondition("the engine to write the set-up customer to Dataverse", 60, applied::templateSeen);

        FoEventTemplate createdTemplate = template(payloads.get("OnExternalCreated"), false);
        FoEventTemplate updatedTemplate = template(payloads.get("OnExternalUpdated"), true);
        System.out.printf(Locale.US, "Event templates from the F&O emulator's deliveries: OnExternalCreated %,d bytes, OnExternalUpdated %,d bytes"
                        + " (with PreImage); the set-up customer reached Dataverse through the engine%n",
                payloads.get("OnExternalCreated").encode().length(), payloads.get("OnExternalUpdated").encode().length());
        return new FoEventTemplate[] {createdTemplate, updatedTemplate};
    }

    private static FoEventTemplate template(JsonObject payload, boolean update) {
        Map<String, Integer> markers = new LinkedHashMap<>();
        markers.put(M_ACCOUNT, FoEventTemplate.ACCOUNT);
        if (update) {
            markers.put(M_NEW_NAME, FoEventTemplate.NAME);
            markers.put(M_NEW_MEMO, FoEventTemplate.MEMO);
            markers.put(M_NAME, FoEventTemplate.OLD_NAME);
            markers.put(M_MEMO, FoEventTemplate.OLD_MEMO);
        } else {
            markers.put(M_NAME, FoEventTemplate.NAME);
            markers.put(M_MEMO, FoEventTemplate.MEMO);
        }
        markers.put(payload.getString("CorrelationId"), FoEventTemplate.CORRELATION_ID);
        markers.put(payload.getString("OperationId"), FoEventTemplate.OPERATION_ID);
        markers.put(payload.getString("OperationCreatedOn"), FoEventTemplate.OPERATION_CREATED_ON);
        markers.put(payload.getString("PrimaryEntityId"), FoEventTemplate.VIRTUAL_ID);
        return FoEventTemplate.of(payload.encode(), markers);
    }

    private static void check(HttpResponse<Buffer> r, String what) {
        if (r.statusCode() < 200 || r.statusCode() > 299) {
            throw new IllegalStateException("could not " + what + ": HTTP " + r.statusCode() + " " + r.bodyAsString());
        }
    }

    /** A call of an emulator's control API ({@code /_emulator/<path>}, no token needed); its JSON answer or {}. */
    private static JsonObject control(WebClient web, String base, String method, String path, JsonObject body) throws Exception {
        io.vertx.ext.web.client.HttpRequest<Buffer> req = web.requestAbs(io.vertx.core.http.HttpMethod.valueOf(method),
                base + "/_emulator/" + path);
        HttpResponse<Buffer> r = (body == null ? req.send() : req.sendJsonObject(body)).await(30, TimeUnit.SECONDS);
        check(r, method + " /_emulator/" + path);
        String text = r.bodyAsString();
        return text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after {@code seconds}. */
    private static void awaitCondition(String what, int seconds, ThrowingCondition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up waiting " + seconds + " s for " + what);
            }
            Thread.sleep(50);
        }
    }

    @FunctionalInterface
    private interface ThrowingCondition {
        boolean holds() throws Exception;
    }

    // ---- phases ----------------------------------------------------------------------------------

    private Saturation saturate() throws Exception {
        long startNs = System.nanoTime();
        driverLoop.context().runOnContext(v -> sender.saturate());
        Progress progress = new Progress("saturate", startNs);
        long warmEnd = startNs + TimeUnit.SECONDS.toNanos(s.warmup());
        if (!progress.until(warmEnd, () -> sender.failure() != null)) {
            return failed("saturation (warm-up)");
        }
        jdk.jfr.Recording recording = startRecording();
        Mark m0 = mark();
        long end = m0.cpu.atNs() + TimeUnit.SECONDS.toNanos(s.seconds());
        if (!progress.until(end, () -> sender.failure() != null)) {
            return failed("saturation");
        }
        Mark m1 = mark();
        stopRecording(recording, "saturation");
        stopSender();
        if (sender.failure() != null) {
            return failed("saturation");
        }
        double secs = (m1.cpu.atNs() - m0.cpu.atNs()) / 1e9;
        long appliedN = m1.applied - m0.applied;
        Saturation r = new Saturation(appliedN / secs, (m1.accepted - m0.accepted) / secs, m1.unavailable - m0.unavailable,
                (m1.engineApplied - m0.engineApplied) / secs, (m1.echoesDelivered - m0.echoesDelivered) / secs,
                m1.echoesPending - m0.echoesPending);
        System.out.printf(Locale.US, "%nSaturation, measured %.2f s: %,d events applied = %,.0f events/s end to end"
                        + " (engine's own applied counter: %,.0f/s); accepted %,.0f/s; 503 answers %,d;"
                        + " echo webhooks delivered %,.0f/s, their backlog in the emulator grew by %,d%n",
                secs, appliedN, r.eventsPerSecond(), r.engineAppliedPerSecond(), r.acceptedPerSecond(), r.unavailable(),
                r.echoesPerSecond(), r.echoBacklogGrowth());
        cpuReport(m0, m1, appliedN);
        if (appliedN == 0) {
            System.out.println("FAILED: no event was applied in the measured period");
            return null;
        }
        return r;
    }

    private FixedRate fixedRate() throws Exception {
        long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long from = startNs + TimeUnit.SECONDS.toNanos(s.rateWarmup());
        long until = from + TimeUnit.SECONDS.toNanos(s.rateSeconds());
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) s.rate() * (s.rateWarmup() + s.rateSeconds() + 10));
        AppliedWrites.Window window = applied.openWindow(sender.nextSeq(), capacity, from, until);
        long issued0 = sender.measuredIssued.get();
        driverLoop.context().runOnContext(v -> sender.fixedRate(s.rate(), startNs, from, until, window));
        Progress progress = new Progress("rate", startNs);
        if (!progress.until(from, () -> sender.failure() != null)) {
            return failedRate();
        }
        jdk.jfr.Recording recording = startRecording();
        Mark m0 = mark();
        if (!progress.until(until, () -> sender.failure() != null)) {
            return failedRate();
        }
        Mark m1 = mark();
        stopRecording(recording, "fixed-rate");
        stopSender();
        if (sender.failure() != null) {
            return failedRate();
        }
        long measured = sender.measuredIssued.get() - issued0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (window.recorded() < measured && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        double secs = (until - from) / 1e9;
        double cpuSecs = (m1.cpu.atNs() - m0.cpu.atNs()) / 1e9;
        Histogram h = window.snapshot();
        FixedRate r = new FixedRate(measured, (m1.accepted - m0.accepted) / cpuSecs, (m1.applied - m0.applied) / cpuSecs, h,
                window.recorded());
        System.out.printf(Locale.US, "%nFixed rate, measured %.0f s: %,d events due (%,.1f/s), %,.1f/s accepted by the engine,"
                        + " %,.1f/s applied; %,d of the due events seen applied%n",
                secs, measured, measured / secs, r.sentPerSecond(), r.appliedPerSecond(), r.seen());
        if (!r.kept(s.rate(), s.rateSeconds())) {
            System.out.printf(Locale.US, "The driver could not send at %,d events/s (the engine accepted fewer): latencies below are of a growing backlog%n",
                    s.rate());
        }
        System.out.printf(Locale.US, "Latency, intended send -> Dataverse write committed (ms): p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  mean %.2f%n",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6);
        cpuReport(m0, m1, m1.applied - m0.applied);
        if (measured == 0) {
            System.out.println("FAILED: no event was due in the measured period (the driver fell behind the whole warm-up)");
            return null;
        }
        if (r.seen() < measured) {
            System.out.printf(Locale.US, "FAILED: %,d measured events were not applied within 60 s after the period%n", measured - r.seen());
            return null;
        }
        return r;
    }

    private Saturation failed(String phase) {
        System.out.println("FAILED in " + phase + ": " + sender.failure());
        return null;
    }

    private FixedRate failedRate() {
        System.out.println("FAILED in the fixed-rate phase: " + sender.failure());
        return null;
    }

    private void stopSender() throws Exception {
        Promise<Void> stopped = Promise.promise();
        driverLoop.context().runOnContext(v -> sender.stop().onComplete(stopped));
        stopped.future().await(120, TimeUnit.SECONDS);
    }

    /** Waits until every journaled event is done and every echo webhook delivered; prints how long it took. */
    private boolean drain(String when) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(s.drainSeconds());
        long next = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
        while (backlog() > 0 || echoPending() > 0 || applied.applied() < sender.accepted.get()) {
            if (System.nanoTime() > deadline) {
                System.out.printf(Locale.US, "FAILED: the engine did not drain in %d s %s: backlog %,d, echo webhooks pending %,d, applied %,d of %,d accepted%n",
                        s.drainSeconds(), when, backlog(), echoPending(), applied.applied(), sender.accepted.get());
                return false;
            }
            if (System.nanoTime() > next) {
                System.out.printf(Locale.US, "  draining %s: engine backlog %,d, echo webhooks pending %,d%n", when, backlog(), echoPending());
                next += TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
            }
            Thread.sleep(20);
        }
        System.out.printf(Locale.US, "Drained %s in %.1f s (engine backlog 0, echo webhooks pending 0)%n", when, (System.nanoTime() - start) / 1e9);
        return true;
    }

    /**
     * With {@code --jfr DIR}: a JFR recording (the JDK's "default" settings: an execution sample of
     * each running thread every 20 ms) of one measured period, written to {@code DIR/<name>.jfr}; read it with
     * {@link JfrTop}. Null without the option.
     */
    private jdk.jfr.Recording startRecording() throws Exception {
        if (s.jfr() == null) {
            return null;
        }
        jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("default"));
        r.start();
        return r;
    }

    private void stopRecording(jdk.jfr.Recording r, String name) throws Exception {
        if (r == null) {
            return;
        }
        r.stop();
        Files.createDirectories(s.jfr());
        Path file = s.jfr().resolve(name + ".jfr");
        r.dump(file);
        r.close();
        System.out.println("JFR recording of the measured period: " + file);
    }

    /** Counters at one moment. */
    private record Mark(CpuSnapshot cpu, long applied, long accepted, long unavailable, long engineApplied, long echoesDelivered,
                        long echoesPending) {
    }

    private Mark mark() {
        return new Mark(CpuSnapshot.now(host.thread, driverLoop.thread, engineLoop.thread), applied.applied(),
                sender.accepted.get(), sender.unavailable.get(), (long) engineCount(Metrics.APPLY_EVENTS, "target", "dataverse", "result", "applied"),
                echoesDelivered(), echoPending());
    }

    /** Where the CPU went between two marks, per event applied. */
    private void cpuReport(Mark m0, Mark m1, long events) {
        CpuSnapshot a = m0.cpu;
        CpuSnapshot b = m1.cpu;
        System.out.printf(Locale.US, "CPU per event applied (µs) and share of the period on a core: emulators' event loop %.1f (%.0f%%),"
                        + " engine's event loop %.1f (%.0f%%), driver's event loop %.1f (%.0f%%), whole process %.1f (%.2f cores);"
                        + " GC %d collections, %d ms%n",
                b.usPer(a, 0, events), 100 * b.busy(a, 0), b.usPer(a, 2, events), 100 * b.busy(a, 2),
                b.usPer(a, 1, events), 100 * b.busy(a, 1), b.processUsPer(a, events), b.processCores(a),
                b.gcCount() - a.gcCount(), b.gcMs() - a.gcMs());
    }

    /** Prints a line every {@link #PROGRESS_MS} until {@code endNs}; false when {@code stop} became true first. */
    private final class Progress {
        private final String phase;
        private final long startNs;
        private long lastNs;
        private long lastPosted;
        private long lastAccepted;
        private long lastUnavailable;
        private long lastApplied;

        Progress(String phase, long startNs) {
            this.phase = phase;
            this.startNs = startNs;
            this.lastNs = System.nanoTime();
            this.lastPosted = sender.posted.get();
            this.lastAccepted = sender.accepted.get();
            this.lastUnavailable = sender.unavailable.get();
            this.lastApplied = applied.applied();
        }

        boolean until(long endNs, BooleanSupplier stop) throws InterruptedException {
            while (true) {
                long now = System.nanoTime();
                if (stop.getAsBoolean()) {
                    return false;
                }
                if (now >= endNs) {
                    return true;
                }
                long next = lastNs + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MS);
                if (now >= next) {
                    line(now);
                }
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(endNs - now), TimeUnit.NANOSECONDS.toMillis(next - now) + 1)));
            }
        }

        private void line(long now) {
            double secs = (now - lastNs) / 1e9;
            long posted = sender.posted.get();
            long accepted = sender.accepted.get();
            long unavailable = sender.unavailable.get();
            long appliedNow = applied.applied();
            System.out.printf(Locale.US, "[%5.1f s] %-8s posted %,7.0f/s  accepted %,7.0f/s  503 %,6.0f/s  applied %,7.0f/s  engine backlog %,7d  echo webhooks pending %,7d%n",
                    (now - startNs) / 1e9, phase, (posted - lastPosted) / secs, (accepted - lastAccepted) / secs,
                    (unavailable - lastUnavailable) / secs, (appliedNow - lastApplied) / secs, backlog(), echoPending());
            lastNs = now;
            lastPosted = posted;
            lastAccepted = accepted;
            lastUnavailable = unavailable;
            lastApplied = appliedNow;
        }
    }

    // ---- engine and emulator counters ------------------------------------------------------------

    private double engineCount(String name, String... tags) {
        return engine.metrics().registry().find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Events journaled and not yet done (each journaled event has one outcome: one map matches it). */
    private long backlog() {
        return (long) (engineCount(Metrics.INGEST_EVENTS, "result", "accepted") - engineCount(Metrics.APPLY_EVENTS));
    }

    /** Echo webhooks the Dataverse emulator has finished sending (answered, or failed for good). */
    private long echoesDelivered() {
        JsonObject c = host.emulators.webhooks().counters();
        return c.getLong("succeeded") + c.getLong("failed");
    }

    private long echoPending() {
        return host.emulators.webhooks().counters().getLong("pending");
    }

    // ---- summary ---------------------------------------------------------------------------------

    private int summary(DataversePatchLoad.Result raw, Saturation sat, FixedRate fixed) {
        long acceptedEvents = sender.accepted.get();
        long appliedEvents = applied.applied();
        Map<String, Double> outcomes = new LinkedHashMap<>();
        for (String target : new String[] {"dataverse", "fo"}) {
            for (Metrics.ApplyResult r : Metrics.ApplyResult.values()) {
                String result = r.name().toLowerCase(Locale.ROOT);
                double n = engineCount(Metrics.APPLY_EVENTS, "target", target, "result", result);
                if (n > 0) {
                    outcomes.put(target + "/" + result, n);
                }
            }
        }
        JsonObject webhooks = host.emulators.webhooks().counters();
        System.out.println();
        System.out.println("=== Engine load: summary ===");
        System.out.printf(Locale.US, "Events: %,d accepted by the engine (202), %,d applied to Dataverse; engine outcomes by target/result %s;"
                        + " echo webhooks %s%n",
                acceptedEvents, appliedEvents, outcomes, webhooks.encode());
        boolean ok = appliedEvents == acceptedEvents;
        if (!ok) {
            System.out.printf(Locale.US, "FAILED: %,d events accepted but %,d applied%n", acceptedEvents, appliedEvents);
        }
        for (String bad : new String[] {"dataverse/dead_lettered", "dataverse/stale", "dataverse/conflict", "dataverse/duplicate",
                "dataverse/skipped"}) {
            if (outcomes.containsKey(bad)) {
                System.out.printf(Locale.US, "FAILED: %,.0f events ended %s%s%n", outcomes.get(bad), bad, !bad.endsWith("conflict") ? ""
                        : " although only the engine writes Dataverse here: two events of one customer were applied at the same time");
                ok = false;
            }
        }
        if (raw != null) {
            System.out.printf(Locale.US, "Raw Dataverse emulator PATCH capacity (tight client, %d in flight, no engine): %,.0f requests/s"
                            + " (p50 %.2f ms, p99 %.2f ms; emulator event loop %.0f%% busy)%n",
                    s.inFlight(), raw.requestsPerSecond(), raw.p50Ms(), raw.p99Ms(), 100 * raw.emulatorBusy());
        }
        if (sat != null) {
            System.out.printf(Locale.US, "End-to-end through the engine (saturation, %d in flight, echo webhook %s): %,.0f events/s%s%n",
                    s.inFlight(), s.echo() ? "on" : "off", sat.eventsPerSecond(), !s.echo() ? ""
                            : String.format(Locale.US, " (echo webhooks delivered %,.0f/s meanwhile; %,d more waiting in the emulator at the end)",
                            sat.echoesPerSecond(), sat.echoBacklogGrowth()));
        }
        if (raw != null && sat != null) {
            double ratio = sat.eventsPerSecond() / raw.requestsPerSecond();
            System.out.printf(Locale.US, "Ratio end-to-end / raw: %.3f (goal >= 0.5: %s)%n", ratio, ratio >= 0.5 ? "met" : "NOT met");
        }
        Histogram h = fixed.latency();
        double p99 = ms(h.getValueAtPercentile(99));
        boolean kept = fixed.kept(s.rate(), s.rateSeconds());
        System.out.printf(Locale.US, "Fixed rate %,d events/s (achieved: %,.1f/s accepted, %,.1f/s applied): latency p50 %.2f ms, p99 %.2f ms,"
                        + " p99.9 %.2f ms, max %.2f ms over %,d events (goal p99 < 50 ms: %s)%n",
                s.rate(), fixed.sentPerSecond(), fixed.appliedPerSecond(), ms(h.getValueAtPercentile(50)), p99,
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount(),
                !kept ? "NOT met, the rate was not kept" : p99 < 50 ? "met" : "NOT met");
        try {
            JsonObject byMethod = control(web, host.emulators.dataverseUrl(), "GET", "counters", null)
                    .getJsonObject("requests", new JsonObject()).getJsonObject("byMethod", new JsonObject());
            long events = appliedEvents - appliedAtCountersReset;
            StringBuilder b = new StringBuilder();
            for (String method : byMethod.fieldNames()) {
                long n = 0;
                for (String status : byMethod.getJsonObject(method).fieldNames()) {
                    n += byMethod.getJsonObject(method).getLong(status);
                }
                b.append(String.format(Locale.US, " %s %.2f %s;", method, events == 0 ? 0.0 : (double) n / events,
                        byMethod.getJsonObject(method).encode()));
            }
            System.out.printf(Locale.US, "Dataverse emulator requests per event applied (by the engine, phases 2 and 3; by status):%s%n", b);
        } catch (Exception e) {
            System.out.println("(could not read the Dataverse emulator's counters: " + e + ")");
        }
        topThreads();
        return ok ? 0 : 1;
    }

    /** The threads that used the most CPU over the whole run, to tell where the time went. */
    private void topThreads() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, String> known = Map.of(host.thread.getId(), "emulators' event loop", driverLoop.thread.getId(), "driver's event loop",
                engineLoop.thread.getId(), "engine's event loop");
        List<long[]> cpu = new ArrayList<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                cpu.add(new long[] {id, t});
            }
        }
        cpu.sort(Comparator.comparingLong((long[] x) -> x[1]).reversed());
        StringBuilder b = new StringBuilder("CPU by thread over the whole run (s):");
        for (int i = 0; i < Math.min(8, cpu.size()); i++) {
            long id = cpu.get(i)[0];
            ThreadInfo info = mx.getThreadInfo(id);
            String name = known.getOrDefault(id, info == null ? "thread " + id : info.getThreadName());
            b.append(String.format(Locale.US, " %s %.1f;", name, cpu.get(i)[1] / 1e9));
        }
        System.out.println(b);
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    // ---- closing -----------------------------------------------------------------------------------

    private void close() {
        if (baseRecording != null) {
            baseRecording.close();
        }
        if (web != null) {
            web.close();
        }
        try {
            if (client != null) {
                client.close().await(10, TimeUnit.SECONDS);
            }
            if (engine != null) {
                engine.stop().await(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            System.err.println("closing the engine: " + e);
        }
        List<Future<Void>> closing = new ArrayList<>();
        closing.add(vertx.close());
        closing.add(engineVertx.close());
        try {
            Future.join(closing).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("closing Vert.x: " + e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary folder: the OS cleans up what is left
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
