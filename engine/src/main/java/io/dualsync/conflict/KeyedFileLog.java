package io.dualsync.conflict;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small durable map kept as a JSON-lines file: every {@link #put} appends {@code {"k":key,"v":value}},
 * every {@link #remove} a tombstone {@code {"k":key,"del":true}}; opening replays the file into memory.
 * When the file holds more than {@value #COMPACT_RATIO} times as many lines as live keys (and at
 * least {@value #COMPACT_MIN_LINES}), it is rewritten with only the live entries to a temporary file that
 * is synced and then renamed over the old one (an atomic rename: a crash leaves either file whole).
 * Used for the per-record sync state, held conflicts and dead letters.
 *
 * <p>Durability: a completed {@code put} or {@code remove} is in the operating system's page cache
 * and survives a crash of the process (kill -9); {@link #sync()} forces it to disk so it survives a
 * power loss. A line torn by a crash mid-write is the last line only: it is dropped on open.
 *
 * <p>Memory: every live entry is held in memory; size the data so that is acceptable.
 *
 * <p>Thread-safe (every method is synchronized). Writes are single {@code write} calls to the page
 * cache, cheap enough for an event loop; {@link #sync()} and {@link #open} are not: call them from a
 * worker thread.
 */
public final class KeyedFileLog<V> implements AutoCloseable {
    static final int COMPACT_MIN_LINES = 1000;
    /** Rewriting costs one line per live key: every so many lines per key keeps that a fraction of a put. */
    static final int COMPACT_RATIO = 4;
    /** Shared JSON settings: records, exact decimals, {@link Instant}s as ISO-8601 text. */
    public static final ObjectMapper JSON = mapper();

    private final Path file;
    private final JavaType type;
    private final Map<String, V> live = new LinkedHashMap<>();
    private FileChannel channel;
    private long lines;

    private KeyedFileLog(Path file, JavaType type) {
        this.file = file;
        this.type = type;
    }

    /**
     * Opens (or creates) the log at {@code file} and replays it.
     *
     * @throws UncheckedIOException when the file cannot be read or a line before the last is not valid
     *                              (the message names the file and line)
     */
    public static <V> KeyedFileLog<V> open(Path file, Class<V> type) {
        KeyedFileLog<V> log = new KeyedFileLog<>(file.toAbsolutePath(), JSON.constructType(type));
        try {
            log.replay();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
        return log;
    }

    private void replay() throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        long goodBytes = 0;
        if (Files.exists(file)) {
            byte[] raw = Files.readAllBytes(file);
            int start = 0;
            int lineNo = 0;
            while (start < raw.length) {
                int end = start;
                while (end < raw.length && raw[end] != '\n') {
                    end++;
                }
                lineNo++;
                if (end == raw.length) {
                    // No newline: torn by a crash in the middle of a write, which therefore never completed.
                    break;
                }
                String line = new String(raw, start, end - start, StandardCharsets.UTF_8);
                try {
                    apply(JSON.readTree(line));
                } catch (IOException | RuntimeException e) {
                    if (end + 1 == raw.length) {
                        break;
                    }
                    throw new IOException(file + ":" + lineNo + ": not a valid entry (" + e.getMessage()
                            + "); move the file away to start empty, or repair that line", e);
                }
                goodBytes = end + 1;
                lines++;
                start = end + 1;
            }
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.truncate(goodBytes);
        channel.position(goodBytes);
    }

    private void apply(JsonNode node) throws IOException {
        String key = node.get("k").asText();
        if (node.path("del").asBoolean(false)) {
            live.remove(key);
        } else {
            V v = JSON.readerFor(type).readValue(node.get("v"));
            live.put(key, v);
        }
    }

    public synchronized V get(String key) {
        return live.get(key);
    }

    /** Stores {@code value} under {@code key}, replacing what was there. */
    public synchronized void put(String key, V value) {
        append(entry(key, value));
        live.put(key, value);
        compactIfWorthIt();
    }

    /** Removes {@code key}; false when it was not there (nothing is written then). */
    public synchronized boolean remove(String key) {
        if (!live.containsKey(key)) {
            return false;
        }
        append(tombstone(key));
        live.remove(key);
        compactIfWorthIt();
        return true;
    }

    /** The live values in the order their keys were first stored. */
    public synchronized List<V> values() {
        return new ArrayList<>(live.values());
    }

    public synchronized int size() {
        return live.size();
    }

    /** Lines in the file (live entries, replaced values and tombstones), for tests and metrics. */
    synchronized long lines() {
        return lines;
    }

    /** Forces everything written so far to disk (survives power loss). Blocks: not on an event loop. */
    public synchronized void sync() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.force(false);
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] entry(String key, Object value) {
        try {
            return ("{\"k\":" + JSON.writeValueAsString(key) + ",\"v\":" + JSON.writeValueAsString(value) + "}\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " as JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] tombstone(String key) {
        try {
            return ("{\"k\":" + JSON.writeValueAsString(key) + ",\"del\":true}\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + key + " as JSON: " + e.getMessage(), e);
        }
    }

    private void append(byte[] bytes) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            lines++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private void compactIfWorthIt() {
        if (lines >= COMPACT_MIN_LINES && lines > (long) COMPACT_RATIO * live.size()) {
            compact();
        }
    }

    /** Rewrites the file with the live entries only; visible to readers all at once (atomic rename). */
    synchronized void compact() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Map.Entry<String, V> e : live.entrySet()) {
                    ByteBuffer buf = ByteBuffer.wrap(entry(e.getKey(), e.getValue()));
                    while (buf.hasRemaining()) {
                        out.write(buf);
                    }
                }
                out.force(true);
            }
            channel.close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            channel.position(channel.size());
            lines = live.size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + file + ": " + e.getMessage(), e);
        }
    }

    private void syncDirectory() {
        // Makes the rename itself durable; not every file system lets a directory be opened.
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }

    private static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("dualsync-time");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        // Decimals stay exact through the JSON tree ("1000.50" is not turned into "1000.5").
        ObjectMapper m = new ObjectMapper();
        m.setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
        return m.configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .registerModule(time)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
