package io.dualsync.benchmarks;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClient;
import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Load driver: how many PATCH upserts per second the Dataverse emulator answers with a fixed number of
 * requests in flight, so that engine benchmarks know whether the emulator could be their bottleneck.
 *
 * <p>What it does: starts both emulators in this JVM on loopback, on free ports, with the demo seed
 * (companies in {@code cdm_companies}) and authentication on. It gets one bearer token for the
 * Dataverse resource from the emulator's token endpoint with the development identity, as a client
 * would, and sends it with every request (so the bearer check is part of what is measured). The
 * service protection limits (requests, execution time and concurrent requests per user) are raised
 * to {@link Integer#MAX_VALUE} so they never throttle the run (the defaults, 6,000 requests per
 * user in five minutes, would stop it within a second); their bookkeeping still runs on every
 * request. Then it keeps exactly {@code --in-flight} requests outstanding (default 64) from one
 * Vert.x event loop, over as many HTTP/1.1 keep-alive connections opened up front, one request at
 * a time on each: each request is
 * {@code PATCH /api/data/v9.2/accounts(msdyn_company=<USMF id>,accountnumber='BENCH-nnnnnn')} (an
 * upsert by the accounts alternate key, a lookup and a text column) with a JSON body of about 370
 * bytes (name, accountnumber, telephone1, emailaddress1, creditlimit, numberofemployees, address,
 * description), cycling over {@code --records} distinct accounts (default 10,000): the first pass
 * creates them, the later ones update them, alternating two versions of each so every update
 * changes the row. The emulator and the driver run on different event loops (threads) of one Vert.x
 * instance and share the machine's cores, so the driver's own cost is part of the figure; the CPU
 * time per request of each event loop is printed to tell the two apart.
 *
 * <p>It runs a warm-up ({@code --warmup} seconds, default 30: on a small machine the JIT needs about
 * 20 s to settle), then a measured period ({@code --seconds}, default 20), printing a progress line
 * every second, and then prints the measured requests per second, the latency percentiles (send to
 * response end, HdrHistogram), the status counts, the CPU time and allocation per request of the
 * emulator's event loop and of the driver's, the process's CPU time per request, and GC time. Every
 * response must be 2xx: the first one that is not stops the run, its status and body are printed and
 * the exit status is 1. The run is bounded: at most 1,024 in flight, 300 s of warm-up, 600 s
 * measured, 1,000,000 records, and it gives up 60 s after the measured period should have ended.
 *
 * <p>{@link EngineLoad} runs the same client ({@link #measure}) as its first phase, so the engine's
 * end-to-end figure is compared with the emulator's capacity measured in the same run.
 *
 * <p>Command, from the repository root (results are recorded in docs/benchmarks.md):
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.dualsync.benchmarks.DataversePatchLoad --in-flight 64 --warmup 30 --seconds 20
 * </pre>
 */
public final class DataversePatchLoad {
    private static final String API = "/api/data/v9.2/";
    /** Latencies above this are recorded as this (the histogram's range). */
    private static final long HIGHEST_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);

    /** The command line. */
    record Settings(int inFlight, int warmupSeconds, int seconds, int records) {
        static Settings parse(String[] args) {
            int inFlight = 64;
            int warmup = 30;
            int seconds = 20;
            int records = 10_000;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    throw new IllegalArgumentException("");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                int v = Integer.parseInt(args[++i]);
                switch (a) {
                    case "--in-flight" -> inFlight = bounded(a, v, 1, 1024);
                    case "--warmup" -> warmup = bounded(a, v, 0, 300);
                    case "--seconds" -> seconds = bounded(a, v, 1, 600);
                    case "--records" -> records = bounded(a, v, 1, 1_000_000);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return new Settings(inFlight, warmup, seconds, records);
        }

        private static int bounded(String name, int v, int min, int max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + v);
            }
            return v;
        }
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.println("usage: DataversePatchLoad [--in-flight 64] [--warmup 30] [--seconds 20] [--records 10000]");
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        // Starting the emulators (schemas, demo seed) runs on the emulator's event loop and may take a few
        // seconds on a busy machine: do not warn about it as a blocked event loop.
        Vertx vertx = Vertx.vertx(new VertxOptions().setMaxEventLoopExecuteTime(30).setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
        int exit;
        try {
            LoadSupport.Host host = new LoadSupport.Host(LoadSupport.unthrottledOptions());
            vertx.deployVerticle(host).await(60, TimeUnit.SECONDS);
            exit = measure(vertx, host, settings).exit();
        } finally {
            vertx.close().await(30, TimeUnit.SECONDS);
        }
        System.exit(exit);
    }

    /**
     * What one run measured: {@code exit} 0 when every response was 2xx and something was measured (then
     * the figures are set), 1 otherwise.
     */
    record Result(int exit, double requestsPerSecond, double p50Ms, double p99Ms, double p999Ms, double maxMs,
                  double emulatorBusy, double emulatorCpuUsPerRequest) {
        static Result failed() {
            return new Result(1, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    /**
     * Runs the tight client against the Dataverse emulator of {@code host} (already started, with the
     * demo seed) from an event loop of {@code vertx} other than the emulator's, prints progress and the
     * report, and returns the figures. Blocks the calling thread (not an event loop) until done.
     */
    static Result measure(Vertx vertx, LoadSupport.Host host, Settings s) throws Exception {
        LoadSupport.Loop loop;
        try {
            loop = LoadSupport.loopApartFrom(vertx, host.thread);
        } catch (IllegalStateException e) {
            System.err.println("could not get an event loop for the driver other than the emulator's");
            return Result.failed();
        }
        String base = host.emulators.dataverseUrl();
        int port = host.emulators.dataverse().port();

        WebClient web = WebClient.create(vertx);
        String token = LoadSupport.token(web, base, "dualsync-dev", "dualsync-dev-secret", s.warmupSeconds() + s.seconds() + 60L);
        String company = LoadSupport.company(web, base, token);
        web.close();
        long accountsBefore = accounts(host).await(10, TimeUnit.SECONDS);

        String[] uris = new String[s.records()];
        for (int r = 0; r < uris.length; r++) {
            uris[r] = API + "accounts(msdyn_company=" + company + ",accountnumber='" + accountNumber(r) + "')";
        }
        // Names and values as ASCII byte strings: Netty writes them without converting characters.
        MultiMap headers = HttpHeaders.headers()
                .add(HttpHeaders.AUTHORIZATION, HttpHeaders.createOptimized("Bearer " + token))
                .add(HttpHeaders.CONTENT_TYPE, HttpHeaders.createOptimized("application/json; charset=utf-8"))
                .add(HttpHeaders.ACCEPT, HttpHeaders.createOptimized("application/json"))
                .add(HttpHeaders.createOptimized("OData-MaxVersion"), HttpHeaders.createOptimized("4.0"))
                .add(HttpHeaders.createOptimized("OData-Version"), HttpHeaders.createOptimized("4.0"));
        HttpClientAgent client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setIdleTimeout(30).setIdleTimeoutUnit(TimeUnit.SECONDS));

        System.out.printf(Locale.US, "Dataverse emulator at %s, auth on (one bearer token), service protection limits raised%n", base);
        Bodies bodies = new Bodies(s.records());
        System.out.printf(Locale.US, "PATCH upserts by alternate key, %d in flight, %d records, body %d bytes, warm-up %d s, measured %d s%n",
                s.inFlight(), s.records(), bodies.body(s.records() - 1, 0).length(), s.warmupSeconds(), s.seconds());

        Load load = new Load(vertx, port, uris, bodies, headers, s, host.thread, loop.thread);
        Promise<Void> done = Promise.promise();
        loop.context().runOnContext(v -> LoadSupport.connect(client, port, s.inFlight()).onComplete(ar -> {
            if (ar.succeeded()) {
                load.start(done, ar.result());
            } else {
                done.tryFail(ar.cause());
            }
        }));
        try {
            done.future().await(s.warmupSeconds() + s.seconds() + 60L, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.err.println("FAILED: the run did not finish in time (" + load.outstanding + " requests still outstanding)");
            return Result.failed();
        } finally {
            client.close().await(10, TimeUnit.SECONDS);
            vertx.undeploy(loop.deploymentID()).await(10, TimeUnit.SECONDS);
        }
        long accountsAfter = accounts(host).await(10, TimeUnit.SECONDS);
        return load.report(accountsAfter - accountsBefore);
    }

    static String accountNumber(int record) {
        return String.format(Locale.ROOT, "BENCH-%06d", record);
    }

    /**
     * The request bodies: about 350 bytes of account columns (name, accountnumber, telephone1, emailaddress1,
     * creditlimit, numberofemployees, address, description), prepared before the run as bytes so the driver
     * spends its time sending. Each record has two versions with different credit limits and descriptions,
     * used on alternate passes over the records, so every update changes the row.
     */
    static final class Bodies {
        private final byte[][] even;
        private final byte[][] odd;

        Bodies(int records) {
            even = new byte[records][];
            odd = new byte[records][];
            for (int r = 0; r < records; r++) {
                even[r] = text(r, 0).getBytes(StandardCharsets.UTF_8);
                odd[r] = text(r, 1).getBytes(StandardCharsets.UTF_8);
            }
        }

        private static String text(int r, int version) {
            String n = String.format(Locale.ROOT, "%06d", r);
            return "{\"name\":\"Benchmark account " + n + "\","
                    + "\"accountnumber\":\"" + accountNumber(r) + "\","
                    + "\"telephone1\":\"+1 425 555 " + n.substring(2) + "\","
                    + "\"emailaddress1\":\"account" + n + "@bench.dualsync.example\","
                    + "\"creditlimit\":" + (1000 + 37 * r + 500 * version) + ".50,"
                    + "\"numberofemployees\":" + (10 + r % 990) + ","
                    + "\"address1_line1\":\"" + (1 + r % 999) + " Load Test Avenue\","
                    + "\"address1_city\":\"Redmond\","
                    + "\"address1_postalcode\":\"98052\","
                    + "\"description\":\"Written by the PATCH load driver, version " + version + " of this account\"}";
        }

        /** The body of request number {@code seq}, which writes record {@code record} (wrapped, not copied). */
        Buffer body(int record, long seq) {
            return Buffer.buffer((seq / even.length) % 2 == 0 ? even[record] : odd[record]);
        }
    }

    /** Rows in accounts, read on the emulator's event loop (the store's owner). */
    private static Future<Long> accounts(LoadSupport.Host host) {
        Promise<Long> p = Promise.promise();
        host.context().runOnContext(v -> p.complete(
                (long) host.emulators.dataverse().context().store().table("accounts").size()));
        return p.future();
    }

    /**
     * The driver itself: keeps {@code inFlight} requests outstanding, measures, reports. Everything but
     * {@link #report} runs on the driver's event loop.
     */
    private static final class Load {
        private final Vertx vertx;
        private final int port;
        private final String[] uris;
        private final Bodies bodies;
        private final MultiMap headers;
        private final Settings settings;
        private final Thread serverThread;
        private final Thread clientThread;

        private final Histogram measured = new Histogram(HIGHEST_LATENCY_NS, 3);
        private final Histogram interval = new Histogram(HIGHEST_LATENCY_NS, 3);
        /** Responses by HTTP status (index 0: no response), whole run and measured period. */
        private final long[] statuses = new long[600];
        private final long[] measuredStatuses = new long[600];
        private final List<String> failures = new ArrayList<>();
        private Promise<Void> done;
        private long seq;
        int outstanding;
        private long completed;
        private long intervalCount;
        private int second;
        private long periodic;
        private boolean measuring;
        private boolean stopping;
        private long measuredCount;
        private long measureStartNs;
        private long measureEndNs;
        private Usage startUsage;
        private Usage endUsage;

        Load(Vertx vertx, int port, String[] uris, Bodies bodies, MultiMap headers, Settings settings,
             Thread serverThread, Thread clientThread) {
            this.vertx = vertx;
            this.port = port;
            this.uris = uris;
            this.bodies = bodies;
            this.headers = headers;
            this.settings = settings;
            this.serverThread = serverThread;
            this.clientThread = clientThread;
        }

        void start(Promise<Void> done, List<HttpClientConnection> connections) {
            this.done = done;
            if (settings.warmupSeconds() == 0) {
                beginMeasuring();
            }
            periodic = vertx.setPeriodic(1000, id -> tick());
            for (HttpClientConnection c : connections) {
                send(c);
            }
        }

        /** The next request on a connection that has none outstanding. */
        private void send(HttpClientConnection connection) {
            long n = seq++;
            int record = (int) (n % uris.length);
            Buffer body = bodies.body(record, n);
            RequestOptions ro = new RequestOptions().setMethod(HttpMethod.PATCH).setHost("127.0.0.1").setPort(port)
                    .setURI(uris[record]).setHeaders(headers).setIdleTimeout(30_000);
            long start = System.nanoTime();
            outstanding++;
            connection.request(ro)
                    .compose(req -> req.send(body))
                    .compose(Load::answer)
                    .onComplete(ar -> completed(connection, start,
                            ar.succeeded() ? ar.result() : new Answer(0, String.valueOf(ar.cause()))));
        }

        /** A response's status, and its body when it is not 2xx (a 2xx upsert answers 204 without one). */
        private record Answer(int status, String body) {
        }

        private static Future<Answer> answer(HttpClientResponse resp) {
            int status = resp.statusCode();
            return status >= 200 && status <= 299
                    ? resp.end().map(v -> new Answer(status, null))
                    : resp.body().map(b -> new Answer(status, b.toString()));
        }

        private void completed(HttpClientConnection connection, long startNs, Answer answer) {
            long now = System.nanoTime();
            outstanding--;
            completed++;
            int status = answer.status();
            long latency = Math.min(now - startNs, HIGHEST_LATENCY_NS);
            statuses[Math.min(status, 599)]++;
            interval.recordValue(latency);
            intervalCount++;
            if (measuring) {
                measured.recordValue(latency);
                measuredCount++;
                measuredStatuses[Math.min(status, 599)]++;
            }
            if (status < 200 || status > 299) {
                if (failures.size() < 5) {
                    failures.add((status == 0 ? "no response: " : "HTTP " + status + ": ") + answer.body());
                }
                if (!stopping) {
                    System.out.println("FAILED: a response was not 2xx; stopping");
                    stop();
                }
            }
            if (!stopping) {
                send(connection);
            } else if (outstanding == 0) {
                vertx.cancelTimer(periodic);
                done.tryComplete();
            }
        }

        private void tick() {
            second++;
            String phase = second <= settings.warmupSeconds() ? "warm-up" : "measure";
            System.out.printf(Locale.US, "[%3d s] %-7s %,8d req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  in flight %d%n",
                    second, phase, intervalCount, ms(interval.getValueAtPercentile(50)), ms(interval.getValueAtPercentile(99)),
                    ms(interval.getMaxValue()), outstanding);
            interval.reset();
            intervalCount = 0;
            if (second == settings.warmupSeconds() && !measuring) {
                beginMeasuring();
            }
            if (second >= settings.warmupSeconds() + settings.seconds() && !stopping) {
                stop();
            }
        }

        private void beginMeasuring() {
            measured.reset();
            Arrays.fill(measuredStatuses, 0);
            measuredCount = 0;
            measuring = true;
            startUsage = Usage.now(serverThread, clientThread);
            measureStartNs = System.nanoTime();
        }

        private void stop() {
            if (measuring) {
                measureEndNs = System.nanoTime();
                endUsage = Usage.now(serverThread, clientThread);
                measuring = false;
            }
            stopping = true;
            if (outstanding == 0) {
                vertx.cancelTimer(periodic);
                done.tryComplete();
            }
        }

        Result report(long created) {
            System.out.println();
            System.out.printf(Locale.US, "Responses by status (whole run): %s; created %,d accounts, %,d requests in all%n",
                    counts(statuses), created, completed);
            if (!failures.isEmpty()) {
                System.out.println("FAILED: responses that were not 2xx (first " + failures.size() + "):");
                failures.forEach(f -> System.out.println("  " + f));
                return Result.failed();
            }
            if (startUsage == null || endUsage == null || measuredCount == 0) {
                System.out.println("FAILED: nothing was measured");
                return Result.failed();
            }
            double seconds = (measureEndNs - measureStartNs) / 1e9;
            System.out.printf(Locale.US, "Measured: %,d requests in %.2f s = %,.0f req/s at %d in flight; statuses %s%n",
                    measuredCount, seconds, measuredCount / seconds, settings.inFlight(), counts(measuredStatuses));
            System.out.printf(Locale.US, "Latency (ms): p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  mean %.3f%n",
                    ms(measured.getValueAtPercentile(50)), ms(measured.getValueAtPercentile(90)),
                    ms(measured.getValueAtPercentile(99)), ms(measured.getValueAtPercentile(99.9)),
                    ms(measured.getMaxValue()), measured.getMean() / 1e6);
            double perRequest = 1e-3 / measuredCount; // ns -> µs per request
            System.out.printf(Locale.US, "CPU per request (µs): emulator event loop %.1f, driver event loop %.1f, whole process %.1f;"
                            + " GC %d collections, %d ms%n",
                    (endUsage.serverCpuNs - startUsage.serverCpuNs) * perRequest,
                    (endUsage.clientCpuNs - startUsage.clientCpuNs) * perRequest,
                    (endUsage.processCpuNs - startUsage.processCpuNs) * perRequest,
                    endUsage.gcCount - startUsage.gcCount, endUsage.gcMs - startUsage.gcMs);
            System.out.printf(Locale.US, "Emulator event loop busy %.0f%% of the measured period, driver event loop %.0f%%%n",
                    100.0 * (endUsage.serverCpuNs - startUsage.serverCpuNs) / (measureEndNs - measureStartNs),
                    100.0 * (endUsage.clientCpuNs - startUsage.clientCpuNs) / (measureEndNs - measureStartNs));
            System.out.printf(Locale.US, "Allocated per request: emulator event loop %,d B, driver event loop %,d B%n",
                    (endUsage.serverAllocated - startUsage.serverAllocated) / measuredCount,
                    (endUsage.clientAllocated - startUsage.clientAllocated) / measuredCount);
            long busyNs = endUsage.serverCpuNs - startUsage.serverCpuNs;
            return new Result(0, measuredCount / seconds, ms(measured.getValueAtPercentile(50)),
                    ms(measured.getValueAtPercentile(99)), ms(measured.getValueAtPercentile(99.9)), ms(measured.getMaxValue()),
                    (double) busyNs / (measureEndNs - measureStartNs), busyNs * perRequest);
        }

        /** {@code {204=N, ...}}; 0 stands for requests that got no response. */
        private static String counts(long[] byStatus) {
            Map<Integer, Long> out = new TreeMap<>();
            for (int i = 0; i < byStatus.length; i++) {
                if (byStatus[i] > 0) {
                    out.put(i, byStatus[i]);
                }
            }
            return out.toString();
        }

        private static double ms(long ns) {
            return ns / 1e6;
        }
    }

    /** CPU time and allocation of the two event loops, CPU time of the process, and GC totals, at one moment. */
    private record Usage(long serverCpuNs, long clientCpuNs, long serverAllocated, long clientAllocated, long processCpuNs,
                         long gcCount, long gcMs) {
        static Usage now(Thread server, Thread client) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                    ? os.getProcessCpuTime() : 0;
            long serverAllocated = -1;
            long clientAllocated = -1;
            if (threads instanceof com.sun.management.ThreadMXBean t) {
                serverAllocated = t.getThreadAllocatedBytes(server.getId());
                clientAllocated = t.getThreadAllocatedBytes(client.getId());
            }
            long count = 0;
            long ms = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                ms += Math.max(0, gc.getCollectionTime());
            }
            return new Usage(threads.getThreadCpuTime(server.getId()), threads.getThreadCpuTime(client.getId()),
                    serverAllocated, clientAllocated, process, count, ms);
        }
    }
}
