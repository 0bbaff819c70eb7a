package io.dualsync.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ChangeEvent} as the journal stores it: one JSON object, UTF-8.
 * <pre>{"v":1,"eventId":"…","source":"dataverse","entity":"accounts","operation":"update","recordId":"…",
 * "key":{…},"values":{…},"version":42,"modifiedAt":"2024-05-01T10:00:00Z","initiatingUser":"…",
 * "tag":null,"correlationId":"…","receivedAt":"2024-05-01T10:00:00.125Z"}</pre>
 * Key and values hold JSON values and come back as: String, Boolean, Long (integers; BigInteger beyond
 * a long), BigDecimal (decimals, with their scale: {@code 1.50} stays {@code 1.50}, and a decimal with no
 * fraction is written {@code 5E0} so it stays a BigDecimal), LinkedHashMap (objects, in order),
 * ArrayList (arrays) and null. Integer, Short and Byte come back as Long; Double and Float as BigDecimal.
 * Any other type is refused at encoding. Thread-safe, stateless.
 */
public final class EventCodec {
    private static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private EventCodec() {
    }

    /**
     * The event as journal bytes.
     *
     * @throws IllegalArgumentException when a key or value is not a JSON value (the message names it)
     */
    public static byte[] encode(ChangeEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", FORMAT);
            g.writeStringField("eventId", e.eventId());
            g.writeStringField("source", e.source() == null ? null : e.source().word());
            g.writeStringField("entity", e.entity());
            g.writeStringField("operation", e.operation() == null ? null : e.operation().name().toLowerCase(Locale.ROOT));
            g.writeStringField("recordId", e.recordId());
            g.writeFieldName("key");
            writeValue(g, e.key(), "key");
            g.writeFieldName("values");
            writeValue(g, e.values(), "values");
            g.writeNumberField("version", e.version());
            g.writeStringField("modifiedAt", e.modifiedAt() == null ? null : e.modifiedAt().toString());
            g.writeStringField("initiatingUser", e.initiatingUser());
            g.writeStringField("tag", e.tag());
            g.writeStringField("correlationId", e.correlationId());
            g.writeStringField("receivedAt", e.receivedAt() == null ? null : e.receivedAt().toString());
            g.writeEndObject();
        } catch (IOException x) {
            throw new UncheckedIOException(x); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /**
     * The event journaled as {@code bytes}.
     *
     * @throws IllegalArgumentException when the bytes are not an event this codec wrote
     */
    public static ChangeEvent decode(byte[] bytes) {
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a journaled event is a JSON object");
            }
            String eventId = null;
            Side source = null;
            String entity = null;
            Operation operation = null;
            String recordId = null;
            Map<String, Object> key = null;
            Map<String, Object> values = null;
            long version = 0;
            Instant modifiedAt = null;
            String initiatingUser = null;
            String tag = null;
            String correlationId = null;
            Instant receivedAt = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "eventId" -> eventId = p.getValueAsString();
                    case "source" -> source = side(p.getValueAsString());
                    case "entity" -> entity = p.getValueAsString();
                    case "operation" -> operation = operation(p.getValueAsString());
                    case "recordId" -> recordId = p.getValueAsString();
                    case "key" -> key = object(p);
                    case "values" -> values = object(p);
                    case "version" -> version = p.getLongValue();
                    case "modifiedAt" -> modifiedAt = instant(p.getValueAsString());
                    case "initiatingUser" -> initiatingUser = p.getValueAsString();
                    case "tag" -> tag = p.getValueAsString();
                    case "correlationId" -> correlationId = p.getValueAsString();
                    case "receivedAt" -> receivedAt = instant(p.getValueAsString());
                    default -> p.skipChildren(); // "v", and fields of later formats
                }
            }
            return new ChangeEvent(eventId, source, entity, operation, recordId, key, values, version, modifiedAt,
                    initiatingUser, tag, correlationId, receivedAt);
        } catch (IOException | DateTimeParseException x) {
            throw new IllegalArgumentException("not a journaled change event: " + x.getMessage(), x);
        }
    }

    private static void writeValue(JsonGenerator g, Object v, String path) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(decimalText(d));
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(path + " is " + d + ", which JSON cannot hold");
            }
            g.writeNumber(decimalText(new BigDecimal(v.toString())));
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> entry : m.entrySet()) {
                if (!(entry.getKey() instanceof String name)) {
                    throw new IllegalArgumentException(path + " has a key that is not a string: " + entry.getKey());
                }
                g.writeFieldName(name);
                writeValue(g, entry.getValue(), path + "." + name);
            }
            g.writeEndObject();
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            int i = 0;
            for (Object item : c) {
                writeValue(g, item, path + "[" + i++ + "]");
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException(path + " is a " + v.getClass().getName() + "; the journal holds JSON values "
                    + "(string, boolean, integer, decimal, object, array, null)");
        }
    }

    /** A decimal's exact text, read back with the same scale; one without fraction gets an exponent so it stays decimal. */
    private static String decimalText(BigDecimal d) {
        return d.scale() == 0 ? d.unscaledValue() + "E0" : d.toString();
    }

    private static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                return p.getText();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case START_OBJECT:
                return object(p);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                return list;
            default:
                throw new IllegalArgumentException("unexpected " + t + " at " + p.currentLocation());
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("expected an object at " + p.currentLocation());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, readValue(p));
        }
        return m;
    }

    private static Side side(String word) {
        if (word == null) {
            return null;
        }
        for (Side s : Side.values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown source " + word);
    }

    private static Operation operation(String word) {
        return word == null ? null : Operation.valueOf(word.toUpperCase(Locale.ROOT));
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
