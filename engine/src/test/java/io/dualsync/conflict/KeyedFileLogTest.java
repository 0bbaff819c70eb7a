package io.dualsync.conflict;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyedFileLogTest {
    record Item(String name, long n, Instant at) {
    }

    @TempDir
    Path dir;

    @Test
    void putAndRemove_surviveReopen() {
        Path file = dir.resolve("items.jsonl");
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            log.put("a", new Item("a", 1, Instant.parse("2025-01-01T00:00:00Z")));
            log.put("b", new Item("b", 2, null));
            log.put("a", new Item("a", 3, Instant.parse("2025-01-02T00:00:00Z")));
            assertThat(log.remove("b")).isTrue();
            assertThat(log.remove("b")).isFalse();
        }
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            assertThat(log.values()).containsExactly(new Item("a", 3, Instant.parse("2025-01-02T00:00:00Z")));
            assertThat(log.get("b")).isNull();
        }
    }

    @Test
    void aLineTornByACrash_isDropped_andTheRestIsKept() throws IOException {
        Path file = dir.resolve("items.jsonl");
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            log.put("a", new Item("a", 1, null));
        }
        Files.writeString(file, "{\"k\":\"b\",\"v\":{\"name\":\"b\",\"n\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            assertThat(log.values()).containsExactly(new Item("a", 1, null));
            log.put("c", new Item("c", 3, null));
        }
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            assertThat(log.values()).containsExactly(new Item("a", 1, null), new Item("c", 3, null));
        }
    }

    @Test
    void aBrokenLineBeforeTheLast_failsTheOpen_namingFileAndLine() throws IOException {
        Path file = dir.resolve("items.jsonl");
        Files.writeString(file, "{\"k\":\"a\",\"v\":{\"name\":\"a\",\"n\":1}}\nnot json\n{\"k\":\"b\",\"del\":true}\n");
        assertThatThrownBy(() -> KeyedFileLog.open(file, Item.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("items.jsonl:2: not a valid entry");
    }

    @Test
    void manyUpdatesOfFewKeys_compactTheFile_keepingTheLatestValues() throws IOException {
        Path file = dir.resolve("items.jsonl");
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            for (int i = 0; i < 5000; i++) {
                log.put("k" + (i % 10), new Item("k" + (i % 10), i, null));
            }
            assertThat(log.lines()).isLessThan(KeyedFileLog.COMPACT_MIN_LINES + 10);
        }
        assertThat(Files.readAllLines(file).size()).isLessThan(KeyedFileLog.COMPACT_MIN_LINES + 10);
        assertThat(dir.resolve("items.jsonl.tmp")).doesNotExist();
        try (KeyedFileLog<Item> log = KeyedFileLog.open(file, Item.class)) {
            assertThat(log.size()).isEqualTo(10);
            assertThat(log.get("k7")).isEqualTo(new Item("k7", 4997, null));
        }
    }
}
