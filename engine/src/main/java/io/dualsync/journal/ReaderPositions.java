package io.dualsync.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Readers' watermarks on disk: {@code readers/<name>.position} in the journal folder, holding the index
 * in decimal. Written to a temporary file and renamed over the old one, so a crash leaves the old or
 * the new position, never a torn one; with {@code sync} the file and the folder are synced first
 * (survives power loss). Deleting a reader's file makes the journal forget that reader. Thread-safe.
 */
final class ReaderPositions {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final String SUFFIX = ".position";

    private final Path dir;
    private final boolean sync;

    ReaderPositions(Path journalDir, boolean sync) throws IOException {
        this.dir = Files.createDirectories(journalDir.resolve("readers"));
        this.sync = sync;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("reader name '" + name + "' must be 1-100 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
    }

    OptionalLong load(String name) {
        Path file = file(name);
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " does not hold a journal index (" + e.getMessage()
                    + "); delete it to have reader '" + name + "' start again from the oldest journaled event", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    synchronized void save(String name, long index) throws IOException {
        Path file = file(name);
        Path tmp = dir.resolve(name + SUFFIX + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((index + "\n").getBytes(StandardCharsets.US_ASCII)));
            if (sync) {
                ch.force(false);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (sync) {
            syncDirectory(dir);
        }
    }

    /** Every reader with a saved position, by name. */
    Map<String, Long> all() throws IOException {
        Map<String, Long> all = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path f : files) {
                String fileName = f.getFileName().toString();
                String name = fileName.substring(0, fileName.length() - SUFFIX.length());
                load(name).ifPresent(index -> all.put(name, index));
            }
        }
        return all;
    }

    private Path file(String name) {
        return dir.resolve(name + SUFFIX);
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
