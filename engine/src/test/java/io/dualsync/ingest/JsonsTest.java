package io.dualsync.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonsTest {

    @Test
    void malformedJson_says400WhatAndWhere() {
        assertThatThrownBy(() -> Jsons.parse("{\n  \"a\": 1,\n  \"b\": tru\n}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(IngestException.class, x -> {
                    assertThat(x.status()).isEqualTo(400);
                    assertThat(x.getMessage()).contains("malformed JSON").contains("line 3, column");
                });
    }

    @Test
    void emptyBody_trailingGarbage_duplicateKeys_are400() {
        assertThatThrownBy(() -> Jsons.parse(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> Jsons.parse("{} {}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IngestException.class);
        assertThatThrownBy(() -> Jsons.parse("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void wcfDates_areUtcMilliseconds_theOffsetOnlyDescribesTheSender() {
        assertThat(Jsons.msDate("/Date(1506409448000-0700)/")).isEqualTo(Instant.ofEpochMilli(1506409448000L));
        assertThat(Jsons.msDate("/Date(1570769681000)/")).isEqualTo(Instant.ofEpochMilli(1570769681000L));
        assertThat(Jsons.msDate("Date(1)")).isNull();
    }
}
