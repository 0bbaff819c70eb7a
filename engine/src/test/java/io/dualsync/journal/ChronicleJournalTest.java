package io.dualsync.journal;

import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.dualsync.journal.TestEvents.event;
import static org.awaitility.Awaitility.await;

class ChronicleJournalTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private ChronicleJournal journal(Durability durability, JournalOptions options) {
        ChronicleJournal j = ChronicleJournal.open(dir, durability, options);
        open.add(j);
        return j;
    }

    private ChronicleJournal journal() {
        return journal(Durability.PROCESS, JournalOptions.defaults());
    }

    static <T> T ack(Future<T> f) throws Exception {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    static List<JournalReader.Entry> readAll(JournalReader reader) {
        List<JournalReader.Entry> all = new ArrayList<>();
        for (JournalReader.Entry e = reader.next(); e != null; e = reader.next()) {
            all.add(e);
        }
        return all;
    }

    private static List<String> ids(List<JournalReader.Entry> entries) {
        return entries.stream().map(e -> e.event().eventId()).collect(Collectors.toList());
    }

    @Test
    void append_thenRead_returnsEveryValueTypeIntact() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("city", "Oslo");
        nested.put("lines", List.of("a", 2L));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "Contoso \"Ltd\" ✓");
        values.put("active", true);
        values.put("closed", false);
        values.put("count", 42L);
        values.put("big", Long.MAX_VALUE);
        values.put("huge", new BigInteger("123456789012345678901234567890"));
        values.put("credit", new BigDecimal("1500.50"));
        values.put("whole", new BigDecimal("5"));
        values.put("thousands", new BigDecimal("1E+3"));
        values.put("tiny", new BigDecimal("0.000000001"));
        values.put("address", nested);
        values.put("nothing", null);
        ChangeEvent sent = new ChangeEvent("corr:7", Side.FO, "CustomersV3", Operation.CREATE,
                "dataAreaId='usmf',CustomerAccount='US-001'", Map.of("dataAreaId", "usmf", "CustomerAccount", "US-001"),
                values, 7, Instant.parse("2024-05-01T10:00:00.123456789Z"), "app-user", "dualsync:1", "corr",
                Instant.parse("2024-05-01T10:00:01Z"));
        ChangeEvent businessEvent = new ChangeEvent("evt-1", Side.FO, "CustomersV3", Operation.DELETE, "x",
                Map.of(), null, 0, null, null, null, null, T0);

        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        long first = ack(journal.append(sent));
        long second = ack(journal.append(businessEvent));

        List<JournalReader.Entry> read = readAll(reader);
        assertThat(read).extracting(JournalReader.Entry::index).containsExactly(first, second);
        assertThat(read.get(0).event()).isEqualTo(sent);
        assertThat(read.get(1).event()).isEqualTo(businessEvent);
        Map<String, Object> back = read.get(0).event().values();
        assertThat(back.get("credit")).isEqualTo(new BigDecimal("1500.50")); // scale kept: equals() compares it
        assertThat(back.get("whole")).isInstanceOf(BigDecimal.class).isEqualTo(new BigDecimal("5"));
        assertThat(back.get("count")).isInstanceOf(Long.class);
        assertThat(back.keySet()).containsExactlyElementsOf(values.keySet());
    }

    @Test
    void append_ofAValueThatIsNotJson_failsAndJournalsNothing() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("when", Map.of("at", Instant.EPOCH));
        ChangeEvent bad = new ChangeEvent("e", Side.FO, "CustomersV3", Operation.UPDATE, "k", Map.of(), values, 1, T0,
                null, null, null, T0);

        assertThatThrownBy(() -> ack(journal.append(bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("values.when.at is a java.time.Instant");
        assertThat(reader.next()).isNull();
        assertThat(journal.isOpen()).isTrue();
    }

    @Test
    void appendsFromManyThreads_getDistinctIncreasingIndexes_andAllAreRead() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        List<CompletableFuture<Long>> acks = IntStream.range(0, 4).parallel().boxed()
                .flatMap(t -> IntStream.range(0, 500).mapToObj(i -> journal.append(event(t * 1000 + i))))
                .map(f -> f.toCompletionStage().toCompletableFuture())
                .collect(Collectors.toList());
        List<Long> indexes = new ArrayList<>();
        for (CompletableFuture<Long> ack : acks) {
            indexes.add(ack.get(30, TimeUnit.SECONDS));
        }

        assertThat(indexes).doesNotHaveDuplicates().hasSize(2000);
        List<JournalReader.Entry> read = readAll(reader);
        assertThat(read).extracting(JournalReader.Entry::index).isSorted().containsExactlyInAnyOrderElementsOf(indexes);
        assertThat(journal.lag("apply")).isEqualTo(2000);
    }

    @Test
    void commitsOutOfOrder_positionIsTheLowestUncommittedIndex() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        long[] idx = new long[4];
        for (int i = 0; i < 4; i++) {
            idx[i] = ack(journal.append(event(i)));
        }
        readAll(reader);
        assertThat(reader.position()).isEqualTo(idx[0]);

        reader.commit(idx[1]);
        reader.commit(idx[3]);
        assertThat(reader.position()).isEqualTo(idx[0]);
        assertThat(journal.lag("apply")).isEqualTo(2);

        reader.commit(idx[0]);
        assertThat(reader.position()).isEqualTo(idx[2]);
        reader.commit(idx[0]); // a repeated outcome changes nothing
        assertThat(journal.lag("apply")).isEqualTo(1);

        reader.commit(idx[2]);
        assertThat(reader.position()).isEqualTo(idx[3] + 1);
        assertThat(journal.lag("apply")).isZero();
        assertThatThrownBy(() -> reader.commit(idx[3] + 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void restart_redeliversFromTheWatermark_includingLaterCommittedEvents() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        long[] idx = new long[5];
        for (int i = 0; i < 5; i++) {
            idx[i] = ack(journal.append(event(i)));
        }
        readAll(reader);
        reader.commit(idx[0]);
        reader.commit(idx[1]);
        reader.commit(idx[3]);
        journal.close();

        ChronicleJournal again = journal();
        assertThat(again.lag("apply")).as("saved position, reader not open").isEqualTo(3);
        JournalReader resumed = again.reader("apply");
        assertThat(resumed.position()).isEqualTo(idx[2]);
        assertThat(again.lag("apply")).isEqualTo(3);
        assertThat(ids(readAll(resumed))).containsExactly("e-2", "e-3", "e-4");

        long next = ack(again.append(event(5)));
        assertThat(resumed.next().index()).isEqualTo(next);
        assertThat(again.lag("apply")).isEqualTo(4);
    }

    @Test
    void restart_afterEverythingWasCommitted_deliversOnlyNewEvents() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader reader = journal.reader("apply");
        for (int i = 0; i < 3; i++) {
            ack(journal.append(event(i)));
        }
        readAll(reader).forEach(e -> reader.commit(e.index()));
        reader.close();
        journal.close();

        ChronicleJournal again = journal();
        JournalReader resumed = again.reader("apply");
        assertThat(resumed.next()).isNull();
        assertThat(again.lag("apply")).isZero();
        ack(again.append(event(3)));
        assertThat(ids(readAll(resumed))).containsExactly("e-3");
    }

    @Test
    void positions_areSavedInTheBackground_whileTheJournalRuns() throws Exception {
        ChronicleJournal journal = journal(Durability.PROCESS,
                JournalOptions.defaults().withPositionFlushInterval(Duration.ofMillis(20)));
        JournalReader reader = journal.reader("apply");
        long index = ack(journal.append(event(0)));
        reader.commit(reader.next().index());

        Path saved = dir.resolve("readers").resolve("apply.position");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(Files.readString(saved).trim()).isEqualTo(Long.toString(index + 1)));
    }

    @Test
    void aNewReader_startsAtTheOldestEvent_andReadersAreIndependent() throws Exception {
        ChronicleJournal journal = journal();
        JournalReader apply = journal.reader("apply");
        ack(journal.append(event(0)));
        ack(journal.append(event(1)));
        apply.commit(apply.next().index());

        JournalReader audit = journal.reader("audit");
        assertThat(ids(readAll(audit))).containsExactly("e-0", "e-1");
        assertThat(ids(readAll(apply))).containsExactly("e-1");
        assertThatThrownBy(() -> journal.reader("apply")).hasMessageContaining("already open");
        assertThatThrownBy(() -> journal.reader("../x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backPressure_refusesAppendsOverTheLimit_untilTheSlowestReaderCommits() throws Exception {
        ChronicleJournal journal = journal(Durability.PROCESS,
                JournalOptions.defaults().withMaxUnconsumed(3).withRetryAfter(Duration.ofSeconds(2)));
        JournalReader fast = journal.reader("fast");
        JournalReader slow = journal.reader("slow");
        for (int i = 0; i < 3; i++) {
            ack(journal.append(event(i)));
        }
        readAll(fast).forEach(e -> fast.commit(e.index()));

        assertThatThrownBy(() -> ack(journal.append(event(3))))
                .isInstanceOfSatisfying(JournalFullException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(2))
                .hasMessageContaining("reader 'slow' has 3 journaled events not yet processed (limit 3)");

        slow.commit(slow.next().index());
        ack(journal.append(event(3)));
        assertThat(ids(readAll(fast))).as("the refused event was not journaled").containsExactly("e-3");
    }

    @Test
    void afterClose_appendsAreRefusedAndTheFolderCanBeOpenedAgain() throws Exception {
        ChronicleJournal journal = journal();
        assertThatThrownBy(() -> ChronicleJournal.open(dir, Durability.PROCESS, JournalOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        journal.close();

        assertThat(journal.isOpen()).isFalse();
        assertThatThrownBy(() -> ack(journal.append(event(0))))
                .isInstanceOf(JournalFullException.class).hasMessageContaining("closed");
        ChronicleJournal again = journal();
        assertThat(again.isOpen()).isTrue();
    }

    @Test
    void powerMode_acknowledgesAfterTheGroupCommit_andReadersSeeSyncedEvents() throws Exception {
        ChronicleJournal journal = journal(Durability.POWER,
                JournalOptions.defaults().withGroupCommitSize(10).withSyncInterval(Duration.ofMillis(5)));
        JournalReader reader = journal.reader("apply");
        List<Future<Long>> acks = IntStream.range(0, 25).mapToObj(i -> journal.append(event(i))).toList();
        List<Long> indexes = new ArrayList<>();
        for (Future<Long> ack : acks) {
            indexes.add(ack(ack));
        }

        assertThat(journal.durableIndex()).isGreaterThanOrEqualTo(indexes.get(24));
        assertThat(readAll(reader)).extracting(JournalReader.Entry::index).containsExactlyElementsOf(indexes);
        journal.close();
        assertThat(ids(readAll(journal(Durability.POWER, JournalOptions.defaults()).reader("apply")))).hasSize(25);
    }

    @Test
    void powerMode_syncsTheOutcomeStoresBeforeAPositionIsSaved() throws Exception {
        ChronicleJournal journal = journal(Durability.POWER, JournalOptions.defaults().withSyncInterval(Duration.ofMillis(5)));
        ReaderPositions saved = new ReaderPositions(dir, false);
        List<Long> positionsSeenBySync = new java.util.concurrent.CopyOnWriteArrayList<>();
        journal.beforeSavingPositions(() -> positionsSeenBySync.add(saved.load("apply").orElse(-1)));
        JournalReader reader = journal.reader("apply");
        for (int i = 0; i < 3; i++) {
            ack(journal.append(event(i)));
        }
        List<JournalReader.Entry> all = readAll(reader);
        all.forEach(e -> reader.commit(e.index()));
        long done = reader.position();

        reader.close();

        assertThat(saved.load("apply")).hasValue(done);
        assertThat(positionsSeenBySync).as("the stores were synced while the position still said the events were not done")
                .isNotEmpty().allSatisfy(p -> assertThat(p).isLessThan(done));
    }

    @Test
    void processMode_savesPositionsWithoutSyncingTheStores() throws Exception {
        ChronicleJournal journal = journal();
        List<String> syncs = new java.util.concurrent.CopyOnWriteArrayList<>();
        journal.beforeSavingPositions(() -> syncs.add("sync"));
        JournalReader reader = journal.reader("apply");
        long index = ack(journal.append(event(0)));
        reader.next();
        reader.commit(index);

        reader.close();

        assertThat(new ReaderPositions(dir, false).load("apply")).hasValue(index + 1);
        assertThat(syncs).isEmpty();
    }

    @Test
    void append_fromAVertxContext_completesOnThatContext() throws Exception {
        Vertx vertx = Vertx.vertx();
        open.add(() -> ack(vertx.close()));
        ChronicleJournal journal = journal();
        Context context = vertx.getOrCreateContext();
        AtomicReference<Context> completedOn = new AtomicReference<>();
        CompletableFuture<Long> done = new CompletableFuture<>();
        context.runOnContext(v -> journal.append(event(0)).onSuccess(index -> {
            completedOn.set(Vertx.currentContext());
            done.complete(index);
        }));

        done.get(30, TimeUnit.SECONDS);
        assertThat(completedOn.get()).isSameAs(context);
    }

    @Test
    void retention_deletesOnlyFilesEveryReaderCommitted_andOlderThanTheRetention() throws Exception {
        MutableClock clock = new MutableClock(T0);
        JournalOptions options = JournalOptions.defaults().withRollEvery(Duration.ofSeconds(1))
                .withRetention(Duration.ofSeconds(5)).withClock(clock);
        ChronicleJournal journal = journal(Durability.PROCESS, options);
        JournalReader apply = journal.reader("apply");
        JournalReader audit = journal.reader("audit");
        long[] idx = new long[4];
        for (int i = 0; i < 4; i++) { // one file per second: cycles T0, T0+1s, T0+2s, T0+3s
            idx[i] = ack(journal.append(event(i)));
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(cycleFiles()).hasSize(4);
        readAll(apply);
        apply.commit(idx[0]);
        apply.commit(idx[1]);
        apply.commit(idx[3]);
        for (int i = 0; i < 3; i++) {
            audit.commit(audit.next().index());
        }

        clock.advance(Duration.ofSeconds(2)); // now T0+6s: the first file ended 5 s ago, the second 4 s ago
        assertThat(journal.runRetention()).extracting(p -> p.getFileName().toString())
                .containsExactly("20240501-100000T.cq4");

        clock.advance(Duration.ofSeconds(10));
        assertThat(journal.runRetention()).as("the third file holds apply's uncommitted e-2")
                .extracting(p -> p.getFileName().toString()).containsExactly("20240501-100001T.cq4");
        assertThat(cycleFiles()).containsExactly("20240501-100002T.cq4", "20240501-100003T.cq4");

        apply.commit(idx[2]);
        audit.close();
        assertThat(journal.runRetention()).as("audit, closed, saved a position after e-2: in the third file").isEmpty();
        journal.close();

        ChronicleJournal again = journal(Durability.PROCESS, options);
        JournalReader resumed = again.reader("audit");
        assertThat(ids(readAll(resumed))).containsExactly("e-3");
        assertThat(again.lag("apply")).isZero();
        resumed.commit(idx[3]);
        assertThat(again.runRetention()).as("the newest file stays: the writer appends there")
                .extracting(p -> p.getFileName().toString()).containsExactly("20240501-100002T.cq4");
        assertThat(ids(readAll(again.reader("late")))).as("a new reader starts at the oldest kept event").containsExactly("e-3");
    }

    @Test
    void retention_deletesNothingBeforeAnyReaderExists() throws Exception {
        MutableClock clock = new MutableClock(T0);
        ChronicleJournal journal = journal(Durability.PROCESS, JournalOptions.defaults()
                .withRollEvery(Duration.ofSeconds(1)).withRetention(Duration.ZERO).withClock(clock));
        for (int i = 0; i < 3; i++) {
            ack(journal.append(event(i)));
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofHours(1));

        assertThat(journal.runRetention()).isEmpty();
        assertThat(cycleFiles()).hasSize(3);
    }

    @Test
    void isExpired_needsAnOlderCycleThanEveryWatermark_notTheNewest_andOldEnough() {
        assertThat(ChronicleJournal.isExpired(10, 11, 12, 1_000, 2_000, 1_000)).isTrue();
        assertThat(ChronicleJournal.isExpired(10, 10, 12, 1_000, 2_000, 1_000)).as("watermark inside").isFalse();
        assertThat(ChronicleJournal.isExpired(10, 11, 10, 1_000, 2_000, 1_000)).as("newest").isFalse();
        assertThat(ChronicleJournal.isExpired(10, 11, 12, 1_000, 1_999, 1_000)).as("too young").isFalse();
    }

    @Test
    void options_refuseAFileLengthChronicleCannotRoll() {
        assertThatThrownBy(() -> JournalOptions.defaults().withRollEvery(Duration.ofMinutes(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT5M").hasMessageContaining("PT1H").hasMessageContaining("PT24H");
    }

    private List<String> cycleFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cq4")).sorted().toList();
        }
    }
}
