package io.dualsync.journal;

import io.dualsync.model.ChangeEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@link Journal} on a Chronicle Queue in one folder.
 *
 * <p><b>Threads.</b> {@link #append} may be called from any thread, event loops included: it encodes the
 * event on the caller's thread and hands it to one writer thread ({@code dualsync-journal-writer}), which
 * owns the Chronicle appender. The returned future completes on the caller's Vert.x context when there
 * was one (else on the writer thread): in {@link Durability#PROCESS} right after the append to the
 * memory-mapped file, in {@link Durability#POWER} after the group commit that forced the file to disk
 * ({@code FileChannel.force}: every page of the cycle file, data and index; plus the folder when a new
 * file appears). A group commit runs when {@link JournalOptions#groupCommitSize()} appends wait for it,
 * or {@link JournalOptions#syncInterval()} after the first of them. In power mode readers deliver only
 * synced events, so no outcome is ever recorded for an event a power loss could take back.
 *
 * <p><b>Readers.</b> Each {@link #reader(String) reader} has its own tailer and keeps its watermark (the
 * lowest index not committed) in {@code readers/<name>.position}, written by a housekeeping thread every
 * {@link JournalOptions#positionFlushInterval()}, when the reader closes and when the journal closes
 * (renamed into place; synced in power mode). A restart re-delivers from the saved watermark: what was
 * committed after the last save is delivered again (at-least-once).
 *
 * <p><b>Back-pressure and retention.</b> An append fails with {@link JournalFullException} when the
 * slowest open reader has {@link JournalOptions#maxUnconsumed()} events not committed, when the writer
 * is that far behind, when the journal is closed, or when it can no longer write. Cycle files that are
 * before every saved reader watermark (open or not), are not the newest, and ended more than
 * {@link JournalOptions#retention()} ago are deleted, checked once per file length or minute.
 *
 * <p>A folder is opened by one journal at a time ({@code journal.lock}). Close readers before the journal.
 */
public final class ChronicleJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    private static final int INTAKE_CAPACITY = 16_384;
    private static final Pending STOP = new Pending(null, null, null);

    private final Path dir;
    private final Durability durability;
    private final JournalOptions options;
    private final RollCycleChoice roll;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SingleChronicleQueue queue;
    private final ReaderPositions positions;
    private final BlockingQueue<Pending> intake = new ArrayBlockingQueue<>(INTAKE_CAPACITY);
    /** Appends hold it to read: close takes it to write, so nothing enters the intake after the writer's STOP. */
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    /** Held while the writer appends a batch and counts it: a new reader counts its backlog against the same count. */
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object housekeepingLock = new Object();
    private volatile Runnable beforeSavingPositions = () -> { };
    private final Object openingLock = new Object();
    private final Map<String, ChronicleReader> readers = new ConcurrentHashMap<>();
    private final Thread writer;
    private final ScheduledExecutorService housekeeping;
    private volatile boolean closed;
    private volatile Throwable failure;
    /** Events appended since open: written by the writer thread only. */
    private volatile long appended;
    /** Highest index readers may deliver: the last synced one in power mode, everything in process mode. */
    private volatile long durableIndex;

    // Writer thread only: the cycle file kept open for group commits.
    private int syncCycle = Integer.MIN_VALUE;
    private FileChannel syncChannel;

    private ChronicleJournal(Path dir, Durability durability, JournalOptions options) throws IOException {
        this.dir = dir;
        this.durability = durability;
        this.options = options;
        this.roll = RollCycleChoice.of(options.rollEvery());
        Files.createDirectories(dir);
        this.lockChannel = FileChannel.open(dir.resolve("journal.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            lockChannel.close();
            throw new IllegalStateException("the journal in " + dir + " is already open (in another dualsync process, "
                    + "or twice in this one); one journal folder serves one engine");
        }
        this.lock = l;
        SingleChronicleQueue q = null;
        try {
            q = SingleChronicleQueueBuilder.binary(dir)
                    .rollCycle(roll.rollCycle)
                    .timeProvider(options.clock()::millis)
                    .build();
            this.positions = new ReaderPositions(dir, durability == Durability.POWER);
            if (durability == Durability.POWER) {
                // Events a process-mode run left in the page cache become as durable as the ones this run syncs.
                syncAllFiles();
            }
        } catch (IOException | RuntimeException e) {
            if (q != null) {
                q.close();
            }
            releaseLock();
            throw e;
        }
        this.queue = q;
        this.durableIndex = durability == Durability.POWER ? queue.lastIndex() : Long.MAX_VALUE;
        this.writer = new Thread(this::writeLoop, "dualsync-journal-writer");
        writer.setDaemon(true);
        writer.start();
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dualsync-journal-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long flush = options.positionFlushInterval().toMillis();
        housekeeping.scheduleWithFixedDelay(this::flushQuietly, flush, flush, TimeUnit.MILLISECONDS);
        long retain = Math.min(options.rollEvery().toMillis(), Duration.ofMinutes(1).toMillis());
        housekeeping.scheduleWithFixedDelay(this::retainQuietly, retain, retain, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens (or creates) the journal in {@code dir}.
     *
     * @throws IllegalStateException when another journal has the folder open
     * @throws UncheckedIOException  when the folder cannot be created or read
     */
    public static ChronicleJournal open(Path dir, Durability durability, JournalOptions options) {
        try {
            return new ChronicleJournal(dir, durability, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Future<Long> append(ChangeEvent event) {
        JournalFullException refused = refusal();
        if (refused != null) {
            return Future.failedFuture(refused);
        }
        byte[] bytes;
        try {
            bytes = EventCodec.encode(event);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        Pending p = new Pending(bytes, Promise.promise(), Vertx.currentContext());
        gate.readLock().lock();
        try {
            if (closed) {
                return Future.failedFuture(full("the journal is closed"));
            }
            if (!intake.offer(p)) {
                return Future.failedFuture(full("the journal writer is behind: " + INTAKE_CAPACITY + " appends are waiting"));
            }
        } finally {
            gate.readLock().unlock();
        }
        return p.promise.future();
    }

    private JournalFullException refusal() {
        if (closed) {
            return full("the journal is closed");
        }
        Throwable f = failure;
        if (f != null) {
            return full("the journal cannot write: " + f);
        }
        int waiting = intake.size();
        for (ChronicleReader r : readers.values()) {
            long lag = r.lag();
            if (lag + waiting >= options.maxUnconsumed()) {
                return full("reader '" + r.name + "' has " + lag + " journaled events not yet processed (limit "
                        + options.maxUnconsumed() + ")");
            }
        }
        return null;
    }

    private JournalFullException full(String message) {
        return new JournalFullException(message, options.retryAfterSeconds());
    }

    @Override
    public JournalReader reader(String name) {
        ReaderPositions.checkName(name);
        synchronized (openingLock) {
            checkReadable();
            if (readers.containsKey(name)) {
                throw new IllegalStateException("reader '" + name + "' is already open");
            }
            OptionalLong saved = positions.load(name);
            long start = saved.orElse(0);
            ExcerptTailer tailer = queue.createTailer();
            // The pipeline may call next() from different threads, one at a time (JournalReader's contract).
            tailer.singleThreadedCheckDisabled(true);
            ChronicleReader r;
            appendLock.lock();
            try {
                seek(tailer, start);
                r = new ChronicleReader(this, name, tailer, start, countFrom(start), appended);
            } finally {
                appendLock.unlock();
            }
            if (saved.isEmpty()) {
                try {
                    // From now on retention keeps what this reader has still to read.
                    positions.save(name, start);
                } catch (IOException e) {
                    tailer.close();
                    throw new UncheckedIOException("cannot save the position of reader '" + name + "': " + e.getMessage(), e);
                }
            }
            readers.put(name, r);
            return r;
        }
    }

    /** Positions the tailer so that its next read is the first event at or after {@code index}. */
    private void seek(ExcerptTailer tailer, long index) {
        long first = queue.firstIndex();
        long last = queue.lastIndex();
        if (last < 0 || first == Long.MAX_VALUE || index <= first) {
            tailer.toStart();
        } else if (index > last) {
            tailer.toEnd();
        } else {
            // False when nothing was journaled at this index (the end of a cycle): the tailer still stands
            // before the next event, in the next cycle.
            tailer.moveToIndex(index);
        }
    }

    /** Events journaled at or after {@code index}; caller holds appendLock. */
    private long countFrom(long index) {
        long first = queue.firstIndex();
        long last = queue.lastIndex();
        if (last < 0 || first == Long.MAX_VALUE) {
            return 0;
        }
        long from = Math.max(index, first);
        return from > last ? 0 : queue.countExcerpts(from, last) + 1;
    }

    @Override
    public long lag(String readerName) {
        ChronicleReader r = readers.get(readerName);
        if (r != null) {
            return r.lag();
        }
        ReaderPositions.checkName(readerName);
        checkReadable();
        long start = positions.load(readerName).orElse(0);
        appendLock.lock();
        try {
            return countFrom(start);
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && failure == null;
    }

    long appendedCount() {
        return appended;
    }

    long durableIndex() {
        return durableIndex;
    }

    void checkReadable() {
        if (closed) {
            throw new IllegalStateException("the journal in " + dir + " is closed");
        }
    }

    // ---- writer thread ----

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        try (ExcerptAppender appender = queue.createAppender()) {
            boolean stop = false;
            while (!stop) {
                Pending first = intake.take();
                if (first == STOP) {
                    break;
                }
                batch.add(first);
                stop = drain(batch);
                append(appender, batch, 0);
                if (durability == Durability.POWER) {
                    long deadline = System.nanoTime() + options.syncInterval().toNanos();
                    while (!stop && batch.size() < options.groupCommitSize()) {
                        long wait = deadline - System.nanoTime();
                        Pending next = wait > 0 ? intake.poll(wait, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break;
                        }
                        if (next == STOP) {
                            stop = true;
                            break;
                        }
                        int from = batch.size();
                        batch.add(next);
                        stop = drain(batch);
                        append(appender, batch, from);
                    }
                    sync(batch.get(0).index, batch.get(batch.size() - 1).index);
                }
                complete(batch);
                batch.clear();
            }
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure = t;
            LOG.error("the journal in {} can no longer write; appends are refused until it is reopened", dir, t);
            fail(batch, full("the journal cannot write: " + t));
        } finally {
            closeSyncChannel();
            List<Pending> left = new ArrayList<>();
            intake.drainTo(left);
            left.remove(STOP);
            fail(left, full(failure == null ? "the journal is closed" : "the journal cannot write: " + failure));
        }
    }

    /** Moves waiting appends into the batch up to the group size; true when the journal is closing. */
    private boolean drain(List<Pending> batch) {
        int from = batch.size();
        intake.drainTo(batch, Math.max(0, options.groupCommitSize() - from));
        for (int i = from; i < batch.size(); i++) {
            if (batch.get(i) == STOP) {
                batch.remove(i); // the last one: nothing enters the intake after STOP
                return true;
            }
        }
        return false;
    }

    private void append(ExcerptAppender appender, List<Pending> batch, int from) {
        appendLock.lock();
        try {
            for (int i = from; i < batch.size(); i++) {
                Pending p = batch.get(i);
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(p.bytes);
                }
                p.index = appender.lastIndexAppended();
                appended = appended + 1;
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Forces the cycle files written by a batch (one, or two when it rolled) to disk, then lets readers see it. */
    private void sync(long firstIndex, long lastIndex) throws IOException {
        int firstCycle = roll.rollCycle.toCycle(firstIndex);
        int lastCycle = roll.rollCycle.toCycle(lastIndex);
        if (firstCycle != lastCycle && firstCycle != syncCycle) {
            try (FileChannel ch = FileChannel.open(dir.resolve(roll.fileName(firstCycle)), StandardOpenOption.READ)) {
                ch.force(false);
            }
        }
        if (lastCycle != syncCycle) {
            if (syncChannel != null) {
                syncChannel.force(false); // the end of the previous cycle, written in this batch
                closeSyncChannel();
            }
            syncChannel = FileChannel.open(dir.resolve(roll.fileName(lastCycle)), StandardOpenOption.READ);
            syncCycle = lastCycle;
            ReaderPositions.syncDirectory(dir); // the new file's name
        }
        syncChannel.force(false);
        durableIndex = lastIndex;
    }

    private void closeSyncChannel() {
        if (syncChannel != null) {
            try {
                syncChannel.close();
            } catch (IOException e) {
                LOG.warn("closing {}: {}", dir, e.toString());
            }
            syncChannel = null;
            syncCycle = Integer.MIN_VALUE;
        }
    }

    private void syncAllFiles() throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.cq4")) {
            for (Path f : files) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                    ch.force(false);
                }
            }
        }
        ReaderPositions.syncDirectory(dir);
    }

    /** Completes the batch's futures, one task per caller context rather than one per append. */
    private static void complete(List<Pending> batch) {
        Map<Context, List<Pending>> byContext = null;
        for (Pending p : batch) {
            if (p.context == null) {
                p.promise.tryComplete(p.index);
            } else {
                if (byContext == null) {
                    byContext = new IdentityHashMap<>();
                }
                byContext.computeIfAbsent(p.context, c -> new ArrayList<>()).add(p);
            }
        }
        if (byContext != null) {
            byContext.forEach((context, ps) -> context.runOnContext(v -> ps.forEach(p -> p.promise.tryComplete(p.index))));
        }
    }

    private static void fail(List<Pending> batch, Throwable cause) {
        for (Pending p : batch) {
            if (p.context == null) {
                p.promise.tryFail(cause);
            } else {
                p.context.runOnContext(v -> p.promise.tryFail(cause));
            }
        }
    }

    // ---- housekeeping ----

    private void flushQuietly() {
        try {
            flushPositions();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot save reader positions in {}: {}", dir, e.toString());
        }
    }

    private void flushPositions() throws IOException {
        synchronized (housekeepingLock) {
            for (ChronicleReader r : readers.values()) {
                flush(r);
            }
        }
    }

    private void flush(ChronicleReader r) throws IOException {
        long position = r.position();
        if (position != r.saved) {
            if (durability == Durability.POWER) {
                // the outcomes of the events below the position were recorded before it moved: make
                // them as durable as the position about to say they are done
                beforeSavingPositions.run();
            }
            positions.save(r.name, position);
            r.saved = position;
        }
    }

    /**
     * In {@link Durability#POWER} mode, runs {@code sync} (on the housekeeping thread) before a reader
     * position is saved, so the stores where outcomes are recorded (sync state, dead letters, held
     * conflicts) are forced to disk before the position says their events are done. A failure stops
     * the save; it is tried again at the next flush.
     */
    public void beforeSavingPositions(Runnable sync) {
        this.beforeSavingPositions = Objects.requireNonNull(sync, "sync");
    }

    private void retainQuietly() {
        try {
            runRetention();
        } catch (IOException | RuntimeException e) {
            LOG.warn("journal retention in {} failed: {}", dir, e.toString());
        }
    }

    /**
     * Deletes the cycle files that every reader has committed, that are not the newest and that ended
     * more than the retention ago. Runs on the housekeeping timer; tests call it directly.
     *
     * @return the files deleted
     */
    List<Path> runRetention() throws IOException {
        synchronized (housekeepingLock) {
            if (closed) {
                return List.of();
            }
            flushPositions();
            Map<String, Long> saved = positions.all();
            if (saved.isEmpty()) {
                return List.of(); // no reader has said what it has processed yet
            }
            long oldestWatermark = Collections.min(saved.values());
            int watermarkCycle = roll.rollCycle.toCycle(oldestWatermark);
            int lastCycle = queue.lastCycle();
            int firstCycle = queue.firstCycle();
            if (firstCycle > lastCycle) {
                return List.of();
            }
            long now = options.clock().millis();
            List<Path> deleted = new ArrayList<>();
            for (long c : queue.listCyclesBetween(firstCycle, lastCycle)) {
                int cycle = (int) c;
                if (isExpired(cycle, watermarkCycle, lastCycle, roll.endMillis(cycle), now, options.retention().toMillis())) {
                    Path file = dir.resolve(roll.fileName(cycle));
                    if (Files.deleteIfExists(file)) {
                        deleted.add(file);
                    }
                }
            }
            if (!deleted.isEmpty()) {
                queue.refreshDirectoryListing();
                LOG.info("journal retention deleted {} processed file(s) in {}: {}", deleted.size(), dir,
                        deleted.stream().map(p -> p.getFileName().toString()).toList());
            }
            return deleted;
        }
    }

    /**
     * Whether a cycle file may go: every reader's watermark is in a later cycle (so every event in it is
     * committed), it is not the newest (the writer's), and it ended at least the retention ago.
     */
    static boolean isExpired(int cycle, int oldestWatermarkCycle, int lastCycle, long cycleEndMillis, long nowMillis,
                             long retentionMillis) {
        return cycle < oldestWatermarkCycle && cycle < lastCycle && cycleEndMillis + retentionMillis <= nowMillis;
    }

    // ---- closing ----

    /** A reader closed itself: save its position and forget it. */
    void closed(ChronicleReader r) {
        synchronized (housekeepingLock) {
            try {
                if (!closed) {
                    flush(r);
                }
            } catch (IOException e) {
                LOG.warn("cannot save the position of reader '{}' in {}: {}", r.name, dir, e.toString());
            } finally {
                readers.remove(r.name, r);
                if (!closed) {
                    r.closeTailer();
                }
            }
        }
    }

    /**
     * Stops taking appends, writes (and in power mode syncs) those already taken, completes their futures,
     * saves the readers' positions and closes the files. Blocks until done; idempotent.
     */
    @Override
    public void close() {
        gate.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
        try {
            intake.put(STOP);
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        housekeeping.shutdown();
        try {
            housekeeping.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (housekeepingLock) {
            for (ChronicleReader r : readers.values()) {
                try {
                    flush(r);
                } catch (IOException e) {
                    LOG.warn("cannot save the position of reader '{}' in {}: {}", r.name, dir, e.toString());
                }
                r.closeTailer();
            }
            readers.clear();
        }
        queue.close();
        releaseLock();
    }

    private void releaseLock() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("releasing {}: {}", dir.resolve("journal.lock"), e.toString());
        }
    }

    /** One append on its way to the writer thread. */
    private static final class Pending {
        final byte[] bytes;
        final Promise<Long> promise;
        final Context context;
        long index;

        Pending(byte[] bytes, Promise<Long> promise, Context context) {
            this.bytes = bytes;
            this.promise = promise;
            this.context = context;
        }
    }
}
