package io.dualsync.journal;

import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {

    private static ChangeEvent withValues(Map<String, Object> values) {
        return new ChangeEvent("e-1", Side.DATAVERSE, "accounts", Operation.UPDATE, "id", Map.of("accountid", "id"), values,
                3, Instant.parse("2024-05-01T10:00:00Z"), null, "dualsync", null, Instant.parse("2024-05-01T10:00:00.5Z"));
    }

    private static Map<String, Object> roundTrip(Map<String, Object> values) {
        return EventCodec.decode(EventCodec.encode(withValues(values))).values();
    }

    @Test
    void encode_writesReadableJsonWithIsoInstantsAndLowercaseWords() {
        String json = new String(EventCodec.encode(withValues(Map.of("name", "A"))), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\"v\":1,\"eventId\":\"e-1\",\"source\":\"dataverse\",\"entity\":\"accounts\",\"operation\":\"update\"")
                .contains("\"modifiedAt\":\"2024-05-01T10:00:00Z\"", "\"tag\":\"dualsync\"", "\"initiatingUser\":null");
    }

    @Test
    void numbers_comeBackAsLongOrBigDecimal_withTheirScale() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("int", 7);
        values.put("short", (short) 3);
        values.put("double", 2.5d);
        values.put("scaled", new BigDecimal("10.00"));
        values.put("whole", new BigDecimal("-12"));
        values.put("negativeScale", new BigDecimal("4E+2"));

        Map<String, Object> back = roundTrip(values);

        assertThat(back.get("int")).isEqualTo(7L);
        assertThat(back.get("short")).isEqualTo(3L);
        assertThat(back.get("double")).isEqualTo(new BigDecimal("2.5"));
        assertThat(back.get("scaled")).isEqualTo(new BigDecimal("10.00"));
        assertThat(back.get("whole")).isEqualTo(new BigDecimal("-12"));
        assertThat(back.get("negativeScale")).isEqualTo(new BigDecimal("4E+2"));
    }

    @Test
    void arraysAndNestedObjects_comeBackInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", null);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("list", List.of("x", true, inner));

        assertThat(roundTrip(values)).isEqualTo(values);
        Object back = ((List<?>) roundTrip(values).get("list")).get(2);
        assertThat(new ArrayList<Object>(((Map<?, ?>) back).keySet())).containsExactly("z", "a");
    }

    @Test
    void decode_skipsFieldsOfLaterFormats() {
        String json = "{\"v\":2,\"eventId\":\"e\",\"future\":{\"x\":[1,2]},\"source\":\"fo\",\"version\":5}";

        ChangeEvent e = EventCodec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(e.eventId()).isEqualTo("e");
        assertThat(e.source()).isEqualTo(Side.FO);
        assertThat(e.version()).isEqualTo(5);
        assertThat(e.values()).isNull();
    }

    @Test
    void decode_ofBytesThatAreNotAnEvent_failsWithAMessage() {
        assertThatThrownBy(() -> EventCodec.decode("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> EventCodec.decode("{\"eventId\":".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a journaled change event");
    }

    @Test
    void encode_refusesNonFiniteNumbersAndNonStringKeys() {
        assertThatThrownBy(() -> EventCodec.encode(withValues(Map.of("x", Double.NaN))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values.x is NaN");
        assertThatThrownBy(() -> EventCodec.encode(withValues(Map.of("m", Map.of(1, "a")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values.m has a key that is not a string");
    }
}
